package io.consentcast.devdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The launcher as dev mode and the tests use it, on a directory of its own: a fresh cluster, the roles as in
 * production, reuse of a running server, data kept across a stop, and a start after a killed server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EmbeddedPostgresTest {

    static final Path DIR = Path.of("target", "embedded-postgres-test");
    EmbeddedPostgres pg;

    @BeforeAll
    void freshDirectory() throws Exception {
        if (Files.isRegularFile(DIR.resolve("data/postmaster.pid"))) {
            EmbeddedPostgres.start(DIR).stop(); // a server of an earlier, interrupted run
        }
        PostgresBinaries.deleteRecursively(DIR.resolve("data"));
        pg = EmbeddedPostgres.start(DIR);
        assertTrue(pg.startedHere());
    }

    @AfterAll
    void stop() {
        pg.stop();
    }

    @Test
    @Order(1)
    void aFreshClusterIsPostgresql17InUtf8WithTheCLocaleOnTheLoopbackAndNotAsRoot() throws Exception {
        assertNotEquals(5432, pg.port());
        try (Connection c = superuser("postgres"); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT current_setting('server_version'), "
                        + "pg_encoding_to_char(encoding), datcollate, current_setting('listen_addresses') "
                        + "FROM pg_database WHERE datname = 'postgres'")) {
            rs.next();
            assertEquals("17.7", rs.getString(1));
            assertEquals("UTF8", rs.getString(2));
            assertEquals("C", rs.getString(3));
            assertEquals("127.0.0.1", rs.getString(4));
        }
        String serverUser = ProcessHandle.of(postmasterPid()).orElseThrow().info().user().orElseThrow();
        String jvmUser = System.getProperty("user.name");
        assertEquals("root".equals(jvmUser) ? EmbeddedPostgres.UNPRIVILEGED_USER : jvmUser, serverUser);
    }

    @Test
    @Order(2)
    void theDatabaseBelongsToTheOwnerRoleAndTheApplicationRoleIsPlain() throws Exception {
        pg.createDatabase("devdb_test");
        pg.createDatabase("devdb_test"); // idempotent, as every dev-mode restart calls it
        try (Connection c = superuser("devdb_test"); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT r.rolname, r.rolsuper, r.rolbypassrls, r.rolcreaterole, "
                        + "r.rolcanlogin FROM pg_roles r WHERE r.rolname LIKE 'consentcast_%' ORDER BY 1")) {
            for (String role : List.of(EmbeddedPostgres.APP_ROLE, EmbeddedPostgres.OWNER_ROLE)) {
                assertTrue(rs.next());
                assertEquals(role, rs.getString(1));
                assertFalse(rs.getBoolean(2) || rs.getBoolean(3) || rs.getBoolean(4), role + " is an ordinary role");
                assertTrue(rs.getBoolean(5));
            }
        }
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl("devdb_test"), "consentcast_owner",
                "consentcast_owner"); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE kept (id int)");
            st.execute("INSERT INTO kept VALUES (42)");
        }
        // The application role may not create tables: only the owner's migrations do.
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl("devdb_test"), "consentcast_app",
                "consentcast_app"); Statement st = c.createStatement()) {
            SQLException e = assertThrows(SQLException.class, () -> st.execute("CREATE TABLE mine (id int)"));
            assertEquals("42501", e.getSQLState(), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> pg.createDatabase("x; DROP DATABASE postgres"));
    }

    @Test
    @Order(3)
    void aSecondStartOnTheDirectoryUsesTheRunningServer() {
        long pid = postmasterPid();
        EmbeddedPostgres again = EmbeddedPostgres.start(DIR);
        assertFalse(again.startedHere());
        assertEquals(pg.port(), again.port());
        assertEquals(pid, postmasterPid());
    }

    @Test
    @Order(4)
    void theDataSurvivesAStopAndAStart() throws Exception {
        pg.stop();
        assertFalse(Files.exists(DIR.resolve("data/postmaster.pid")));
        pg = EmbeddedPostgres.start(DIR);
        assertEquals(42, keptValue());
    }

    @Test
    @Order(5)
    void aKilledServerDoesNotBlockTheNextStart() throws Exception {
        ProcessHandle postmaster = ProcessHandle.of(postmasterPid()).orElseThrow();
        List<ProcessHandle> children = postmaster.children().toList();
        postmaster.destroyForcibly(); // SIGKILL: postmaster.pid stays behind, as after a killed build
        postmaster.onExit().get();
        for (ProcessHandle child : children) { // the backends notice their postmaster's death and end
            child.onExit().get(Duration.ofSeconds(30).toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        }
        assertTrue(Files.exists(DIR.resolve("data/postmaster.pid")));

        pg = EmbeddedPostgres.start(DIR);
        assertNotEquals(postmaster.pid(), postmasterPid());
        assertEquals(42, keptValue());
    }

    private int keptValue() throws SQLException {
        try (Connection c = superuser("devdb_test"); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT id FROM kept")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private long postmasterPid() {
        try {
            return Long.parseLong(Files.readAllLines(DIR.resolve("data/postmaster.pid")).get(0).trim());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private Connection superuser(String database) throws SQLException {
        return DriverManager.getConnection(pg.jdbcUrl(database), EmbeddedPostgres.SUPERUSER, "");
    }
}

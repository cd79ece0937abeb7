package io.consentcast.e2e;

import java.net.URI;
import java.nio.file.Path;

import io.consentcast.devdb.EmbeddedPostgres;

/**
 * The PostgreSQL database of an end-to-end test (the packaged applications connect to it over TCP), in this order:
 * <ol>
 * <li>the system property {@code property}, a JDBC URL;</li>
 * <li>with {@code CONSENTCAST_DB_URL} set: the database {@code name} on that server (create it with
 * {@code .ci/db-setup.sh <name>});</li>
 * <li>otherwise the database {@code name} on an embedded PostgreSQL of this build ({@code target/it-postgres}),
 * created here with both roles; the server stops when the test JVM exits.</li>
 * </ol>
 */
final class EndToEndDatabase {

    static final Path EMBEDDED = Path.of("target", "it-postgres");

    private EndToEndDatabase() {
    }

    static String url(String property, String name) {
        String explicit = System.getProperty(property);
        if (explicit != null && !explicit.isBlank()) {
            return explicit;
        }
        String server = System.getenv("CONSENTCAST_DB_URL");
        if (server != null && !server.isBlank()) {
            return onServerOf(server, name);
        }
        EmbeddedPostgres pg = EmbeddedPostgres.start(EMBEDDED);
        pg.createDatabase(name);
        return pg.jdbcUrl(name);
    }

    /** {@code jdbc:postgresql://host:port/other?x=y} becomes {@code jdbc:postgresql://host:port/<name>}. */
    static String onServerOf(String jdbcUrl, String name) {
        URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
        return "jdbc:" + uri.getScheme() + "://" + uri.getRawAuthority() + "/" + name;
    }
}

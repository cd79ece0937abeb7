package io.consentcast.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Operating-system processes of the end-to-end tests (Keycloak, the application): started with their output in a log
 * file, waited for over HTTP, and stopped together with everything they started, also when a step failed.
 */
final class Processes implements AutoCloseable {

    private final List<Process> started = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    Process start(String name, Path workDir, Path log, Map<String, String> env, List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            started.add(p);
            System.out.printf("[e2e] started %s (pid %d), log %s%n", name, p.pid(), log);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + name + ": " + command, e);
        }
    }

    /** Waits until {@code url} answers 200, failing early with the log's tail when the process ends. */
    void awaitHttpOk(String name, Process process, Path log, URI url, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        int lastStatus = -1;
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " ended with exit code " + process.exitValue()
                        + " before it was ready. Last lines of " + log + ":\n" + tail(log, 40));
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding());
                lastStatus = r.statusCode();
                if (lastStatus == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(500);
        }
        throw new IllegalStateException(name + " was not ready at " + url + " within " + timeout + " (last status "
                + lastStatus + "). Last lines of " + log + ":\n" + tail(log, 40));
    }

    /** Stops every process started here and all of their descendants (kc.sh starts a JVM, for example). */
    @Override
    public void close() {
        for (Process p : started) {
            List<ProcessHandle> tree = new ArrayList<>(p.descendants().toList());
            tree.add(p.toHandle());
            tree.forEach(ProcessHandle::destroy);
            for (ProcessHandle h : tree) {
                try {
                    h.onExit().get(20, TimeUnit.SECONDS);
                } catch (Exception e) {
                    h.destroyForcibly();
                }
            }
        }
        started.clear();
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String tail(Path log, int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

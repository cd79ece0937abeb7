package io.consentcast.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * What every benchmark shares: its options (system properties {@code bench.*}, passed through by Maven), the
 * result document (printed and written to {@code bench/results/<name>.json}) and the machine it ran on.
 */
public final class Bench {

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Bench() {
    }

    // ------------------------------------------------------------------ options

    static String option(String name, String defaultValue) {
        String v = System.getProperty("bench." + name);
        return v == null || v.isBlank() ? defaultValue : v.trim();
    }

    static long longOption(String name, long defaultValue) {
        String v = option(name, null);
        if (v == null) {
            return defaultValue;
        }
        try {
            return Long.parseLong(v.replace("_", "").replace(",", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-Dbench." + name + " must be a whole number, was '" + v + "'");
        }
    }

    static int intOption(String name, int defaultValue) {
        return Math.toIntExact(longOption(name, defaultValue));
    }

    static Duration secondsOption(String name, long defaultSeconds) {
        return Duration.ofSeconds(longOption(name, defaultSeconds));
    }

    static boolean boolOption(String name, boolean defaultValue) {
        return Boolean.parseBoolean(option(name, String.valueOf(defaultValue)));
    }

    static Path resultsDir() {
        Path dir = Path.of(option("results", "bench/results"));
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + dir, e);
        }
    }

    static Path projectDir() {
        return Path.of(option("project", ".")).toAbsolutePath().normalize();
    }

    // ------------------------------------------------------------------ results

    /** An ordered JSON object under construction. */
    static Map<String, Object> object() {
        return new LinkedHashMap<>();
    }

    static void log(String format, Object... args) {
        System.out.printf("[bench %s] %s%n", Instant.now().atOffset(ZoneOffset.UTC).toLocalTime().truncatedTo(ChronoUnit.SECONDS),
                String.format(format, args));
        System.out.flush();
    }

    /** Writes the result document to {@code bench/results/<name>.json} and prints it. */
    static Path write(String name, Map<String, Object> result) {
        Path file = resultsDir().resolve(name + ".json");
        try {
            String text = JSON.writeValueAsString(result);
            Files.writeString(file, text + "\n");
            System.out.println("===== " + name + " =====");
            System.out.println(text);
            System.out.println("===== written to " + file.toAbsolutePath() + " =====");
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static double round(double v, int digits) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return v;
        }
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    static double mb(long bytes) {
        return round(bytes / 1_048_576.0, 1);
    }

    static double ratio(double value, double limit) {
        return limit <= 0 ? Double.NaN : round(value / limit, 3);
    }

    // ------------------------------------------------------------------ the machine

    /** CPU, memory, load and versions, so a figure can be read against the machine that produced it. */
    static Map<String, Object> machine(String postgresVersion) {
        Map<String, Object> m = object();
        m.put("cpus", Runtime.getRuntime().availableProcessors());
        m.put("cpuModel", firstValue(Path.of("/proc/cpuinfo"), "model name"));
        String memTotal = firstValue(Path.of("/proc/meminfo"), "MemTotal");
        m.put("memoryMb", memTotal == null ? null : Long.parseLong(memTotal.replaceAll("[^0-9]", "")) / 1024);
        m.put("loadAverage", loadAverage());
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        m.put("postgresql", postgresVersion);
        return m;
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return null;
        }
    }

    private static String firstValue(Path file, String key) {
        try {
            List<String> lines = Files.readAllLines(file);
            for (String line : lines) {
                if (line.startsWith(key)) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}

package io.consentcast.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * Samples the application process while a benchmark runs: resident memory ({@code VmRSS}, and the kernel's
 * high-water mark {@code VmHWM}) from {@code /proc/<pid>/status}, CPU time from {@code /proc/<pid>/stat}, and
 * the JVM heap from the application's own Prometheus metrics ({@code /q/metrics}: heap in use, and the live
 * data after the last collection). A {@link Window} collects peaks and CPU between its start and
 * {@link Window#close()}, together with the CPU used meanwhile by the benchmark JVM itself, by every
 * PostgreSQL process (all databases: the other users' too) and by the whole machine (to show how much the others took).
 */
final class ProcessSampler implements AutoCloseable {

    private static final long CLOCK_TICKS = clockTicks();

    private final long appPid;
    private final Long fakePid;
    private final URI metrics;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<Window> open = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long lastHeapUsed = -1;
    private volatile long lastLiveData = -1;

    ProcessSampler(long appPid, Long fakePid, String managementUrl) {
        this.appPid = appPid;
        this.fakePid = fakePid;
        this.metrics = URI.create(managementUrl + "/q/metrics");
        this.thread = new Thread(this::loop, "bench-sampler");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** A measured stretch of time. */
    final class Window implements AutoCloseable {
        final String name;
        final long startNanos = System.nanoTime();
        final CpuSnapshot cpuStart = cpu();
        final long heapUsedStart = heapUsedNow();
        final long liveDataStart = lastLiveData;
        final long rssStart = status("VmRSS");
        volatile long peakHeapUsed = heapUsedStart;
        volatile long peakLiveData = liveDataStart;
        volatile long peakRss = rssStart;
        private Map<String, Object> result;

        Window(String name) {
            this.name = name;
        }

        void sample(long heapUsed, long liveData, long rss) {
            peakHeapUsed = Math.max(peakHeapUsed, heapUsed);
            peakLiveData = Math.max(peakLiveData, liveData);
            peakRss = Math.max(peakRss, rss);
        }

        double seconds() {
            return (System.nanoTime() - startNanos) / 1e9;
        }

        /** Ends the window (once) and returns its figures. */
        @Override
        public synchronized void close() {
            if (result != null) {
                return;
            }
            open.remove(this);
            double seconds = seconds();
            CpuSnapshot end = cpu();
            long heapEnd = heapUsedNow();
            sample(heapEnd, lastLiveData, status("VmRSS"));
            Map<String, Object> r = Bench.object();
            r.put("seconds", Bench.round(seconds, 2));
            r.put("appCpuSeconds", Bench.round(end.app - cpuStart.app, 2));
            r.put("appCpuCores", Bench.round((end.app - cpuStart.app) / seconds, 2));
            double postgres = end.postgresSince(cpuStart);
            r.put("postgresCpuSeconds", Bench.round(postgres, 2));
            r.put("benchJvmCpuSeconds", Bench.round(end.self - cpuStart.self, 2));
            if (fakePid != null) {
                r.put("fakeMetaCpuSeconds", Bench.round(end.fake - cpuStart.fake, 2));
            }
            double machine = end.machineBusy - cpuStart.machineBusy;
            double ours = (end.app - cpuStart.app) + postgres + (end.self - cpuStart.self)
                    + (end.fake - cpuStart.fake);
            r.put("machineBusyCpuSeconds", Bench.round(machine, 2));
            r.put("otherCpuSeconds", Bench.round(Math.max(0, machine - ours), 2));
            r.put("machineCpuSecondsAvailable", Bench.round(seconds * Runtime.getRuntime().availableProcessors(), 2));
            r.put("appHeapUsedStartMb", Bench.mb(heapUsedStart));
            r.put("appHeapUsedPeakMb", Bench.mb(peakHeapUsed));
            r.put("appHeapLiveAfterGcStartMb", Bench.mb(liveDataStart));
            r.put("appHeapLiveAfterGcPeakMb", Bench.mb(peakLiveData));
            r.put("appHeapLiveAfterGcEndMb", Bench.mb(lastLiveData));
            r.put("appRssStartMb", Bench.mb(rssStart));
            r.put("appRssPeakMb", Bench.mb(peakRss));
            r.put("appRssHighWaterMarkMb", Bench.mb(status("VmHWM")));
            result = r;
        }

        Map<String, Object> result() {
            close();
            return result;
        }

        double appCpuSeconds() {
            return ((Number) result().get("appCpuSeconds")).doubleValue();
        }
    }

    Window window(String name) {
        Window w = new Window(name);
        open.add(w);
        return w;
    }

    private void loop() {
        long nextMetrics = 0;
        while (running) {
            long rss = status("VmRSS");
            if (System.nanoTime() - nextMetrics > 0) {
                readMetrics();
                nextMetrics = System.nanoTime() + 500_000_000L;
            }
            for (Window w : open) {
                w.sample(lastHeapUsed, lastLiveData, rss);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** The application's heap in use now (all heap pools), in bytes. */
    long heapUsed() {
        return heapUsedNow();
    }

    private long heapUsedNow() {
        readMetrics();
        return lastHeapUsed;
    }

    /** Heap in use (all heap pools) and the live data after the last collection, from the application's metrics. */
    private synchronized void readMetrics() {
        try {
            HttpResponse<Stream<String>> r = http.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(5))
                    .build(), HttpResponse.BodyHandlers.ofLines());
            long used = 0;
            boolean seen = false;
            long live = -1;
            for (String line : (Iterable<String>) r.body()::iterator) {
                if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                    used += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                    seen = true;
                } else if (line.startsWith("jvm_gc_live_data_size_bytes")) {
                    live = (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            if (seen) {
                lastHeapUsed = used;
            }
            if (live >= 0) {
                lastLiveData = live;
            }
        } catch (IOException e) {
            // the application is busy or gone; the next sample tries again
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A field of {@code /proc/<app>/status} in bytes (-1 when the process is gone). */
    private long status(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(appPid), "status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    long rssHighWaterMark() {
        return status("VmHWM");
    }

    /** CPU seconds so far: the application, this JVM, the fake, each PostgreSQL process (by pid) and the machine. */
    record CpuSnapshot(double app, double self, double fake, Map<Long, Double> postgres, double machineBusy) {

        /** PostgreSQL's CPU since {@code start}: processes that ended meanwhile are lost, new ones count in full. */
        double postgresSince(CpuSnapshot start) {
            double sum = 0;
            for (Map.Entry<Long, Double> e : postgres.entrySet()) {
                sum += e.getValue() - start.postgres.getOrDefault(e.getKey(), 0.0);
            }
            return sum;
        }
    }

    CpuSnapshot cpu() {
        Map<Long, Double> postgres = new java.util.HashMap<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    if (Files.readString(p.resolve("comm")).trim().startsWith("postgres")) {
                        long pid = Long.parseLong(name);
                        postgres.put(pid, cpuSeconds(pid));
                    }
                } catch (IOException e) {
                    // the process ended meanwhile
                }
            }
        } catch (IOException e) {
            // no /proc: PostgreSQL's share stays unknown (0)
        }
        return new CpuSnapshot(cpuSeconds(appPid), cpuSeconds(ProcessHandle.current().pid()),
                fakePid == null ? 0 : cpuSeconds(fakePid), postgres, machineBusySeconds());
    }

    /** utime + stime of a process (its own threads; PostgreSQL's backends are separate processes). */
    static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // after "pid (comm) ": state is field 3, utime field 14, stime field 15 (1-based in proc(5))
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / (double) CLOCK_TICKS;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** Busy CPU time of the whole machine (all CPUs, everything but idle and iowait), from {@code /proc/stat}. */
    static double machineBusySeconds() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                if (i != 4 && i != 5) { // idle, iowait
                    busy += Long.parseLong(f[i]);
                }
            }
            return busy / (double) CLOCK_TICKS;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    private static long clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor();
            return Long.parseLong(out);
        } catch (IOException | RuntimeException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        for (Window w : open) {
            w.close();
        }
    }
}

package io.consentcast.consent;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;

import io.consentcast.shared.CsvCells;

/**
 * Writes export rows as bytes: each {@link LedgerReader.CopyRow} (PostgreSQL's binary {@code COPY} row) goes
 * straight into one reusable 64 KB buffer, values formatted in place (UUIDs as hex, instants digit by digit, text
 * copied as the UTF-8 bytes it arrives in), without a String or formatter object per value. The output is byte for
 * byte what the export wrote through commons-csv ({@code CSVFormat.RFC4180}, every cell through
 * {@link CsvCells#neutralise}) and Jackson (NDJSON) before; {@code ExportBytesTest} holds it to both.
 */
abstract sealed class ExportWriter permits ExportWriter.Csv, ExportWriter.Ndjson {

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    /** 2000-01-01T00:00:00Z, PostgreSQL's epoch, in seconds since 1970. */
    private static final long POSTGRES_EPOCH_SECONDS = 946_684_800L;

    private final OutputStream out;
    private final byte[] buf = new byte[64 * 1024];
    private int pos;
    /** A formatted non-text value (UUID, number, instant): at most 40 bytes in the canonical forms. */
    private final byte[] scratch = new byte[64];
    private long rows;

    ExportWriter(OutputStream out) {
        this.out = out;
    }

    static ExportWriter of(LedgerExport.Format format, OutputStream out) {
        return format == LedgerExport.Format.CSV ? new Csv(out) : new Ndjson(out);
    }

    /** What comes before the first row (the CSV header row). */
    abstract void start() throws IOException;

    abstract void row(LedgerReader.CopyRow row) throws IOException;

    long rows() {
        return rows;
    }

    /** Writes what is buffered; never closes the stream (the caller owns it). */
    void flush() throws IOException {
        out.write(buf, 0, pos);
        pos = 0;
        out.flush();
    }

    final void counted() {
        rows++;
    }

    // ---------------------------------------------------------------- the buffer

    final void put(byte b) throws IOException {
        if (pos == buf.length) {
            drain();
        }
        buf[pos++] = b;
    }

    final void put(byte[] src, int off, int len) throws IOException {
        if (len > buf.length - pos) {
            drain();
            if (len > buf.length) {
                out.write(src, off, len);
                return;
            }
        }
        System.arraycopy(src, off, buf, pos, len);
        pos += len;
    }

    final void put(byte[] src) throws IOException {
        put(src, 0, src.length);
    }

    private void drain() throws IOException {
        out.write(buf, 0, pos);
        pos = 0;
    }

    // ---------------------------------------------------------------- values

    /**
     * Formats the non-text value of column {@code i} into {@link #scratch}; returns its length. Text columns are
     * written from the row's own bytes instead.
     */
    final int format(LedgerReader.CopyRow row, int i, ExportColumn.Kind kind) {
        byte[] d = row.data();
        int o = row.offset(i);
        return switch (kind) {
            case UUID -> uuid(d, o);
            case INT8 -> decimal(row.int8(i));
            case INT4 -> decimal(row.int4(i));
            case TIMESTAMP -> instant(row.int8(i));
            case TEXT -> throw new IllegalArgumentException("text is written as it is");
        };
    }

    final byte[] scratch() {
        return scratch;
    }

    private int uuid(byte[] d, int o) {
        int p = 0;
        for (int i = 0; i < 16; i++) {
            if (i == 4 || i == 6 || i == 8 || i == 10) {
                scratch[p++] = '-';
            }
            int b = d[o + i] & 0xFF;
            scratch[p++] = HEX[b >>> 4];
            scratch[p++] = HEX[b & 0xF];
        }
        return p;
    }

    private int decimal(long value) {
        // Digits from the right, in the negative range so that Long.MIN_VALUE needs no special case.
        long v = value < 0 ? value : -value;
        int end = 20;
        int p = end;
        do {
            scratch[--p] = (byte) ('0' - (v % 10));
            v /= 10;
        } while (v != 0);
        if (value < 0) {
            scratch[--p] = '-';
        }
        int len = end - p;
        System.arraycopy(scratch, p, scratch, 0, len);
        return len;
    }

    /**
     * The canonical instant of docs/LEDGER.md ({@code 2026-11-28T17:24:51.609809Z}, what {@link LedgerHash#time}
     * writes) from PostgreSQL's microseconds since 2000-01-01 UTC; years outside 0000-9999 and the infinities
     * (never written by the application) go through {@link LedgerHash#time} as the JDBC driver would give them.
     */
    private int instant(long pgMicros) {
        if (pgMicros == Long.MAX_VALUE || pgMicros == Long.MIN_VALUE) {
            return ascii(LedgerHash.time((pgMicros > 0 ? OffsetDateTime.MAX : OffsetDateTime.MIN).toInstant()));
        }
        long micros = pgMicros + POSTGRES_EPOCH_SECONDS * 1_000_000L;
        long seconds = Math.floorDiv(micros, 1_000_000L);
        int fraction = (int) Math.floorMod(micros, 1_000_000L);
        long days = Math.floorDiv(seconds, 86_400L);
        int secondOfDay = (int) Math.floorMod(seconds, 86_400L);
        // Civil date from days since 1970-01-01 (proleptic Gregorian, H. Hinnant's days_from_civil inverted).
        long z = days + 719_468L;
        long era = Math.floorDiv(z, 146_097L);
        long doe = z - era * 146_097L;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        int day = (int) (doy - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
        if (year < 0 || year > 9999) {
            return ascii(LedgerHash.time(Instant.ofEpochSecond(seconds, fraction * 1000L)));
        }
        digits((int) year, 0, 4);
        scratch[4] = '-';
        digits(month, 5, 2);
        scratch[7] = '-';
        digits(day, 8, 2);
        scratch[10] = 'T';
        digits(secondOfDay / 3600, 11, 2);
        scratch[13] = ':';
        digits(secondOfDay / 60 % 60, 14, 2);
        scratch[16] = ':';
        digits(secondOfDay % 60, 17, 2);
        scratch[19] = '.';
        digits(fraction, 20, 6);
        scratch[26] = 'Z';
        return 27;
    }

    private void digits(int value, int at, int width) {
        for (int p = at + width - 1; p >= at; p--) {
            scratch[p] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }

    private int ascii(String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, scratch, 0, b.length);
        return b.length;
    }

    // ---------------------------------------------------------------- CSV

    /**
     * RFC 4180 as commons-csv's {@code CSVFormat.RFC4180} prints it (comma, {@code "} quotes doubled, CRLF after
     * every record, a header row), each cell neutralised by the rule of {@link CsvCells}. commons-csv quotes a
     * cell ("minimal" quoting) when it is empty and first in its record, starts with a character up to {@code #},
     * contains a line feed, carriage return, quote or comma, or ends with a character up to the space; every rule
     * looks at ASCII characters only, so it holds on the UTF-8 bytes as well.
     */
    static final class Csv extends ExportWriter {

        private static final byte[] HEADER = (String.join(",", ExportColumn.headers()) + "\r\n")
                .getBytes(StandardCharsets.UTF_8);

        Csv(OutputStream out) {
            super(out);
        }

        @Override
        void start() throws IOException {
            put(HEADER);
        }

        @Override
        void row(LedgerReader.CopyRow row) throws IOException {
            for (int i = 0; i < ExportColumn.ALL.size(); i++) {
                if (i > 0) {
                    put((byte) ',');
                }
                if (row.isNull(i)) {
                    if (i == 0) {
                        put(EMPTY_FIRST);
                    }
                    continue;
                }
                ExportColumn.Kind kind = ExportColumn.ALL.get(i).kind;
                if (kind == ExportColumn.Kind.TEXT) {
                    cell(row.data(), row.offset(i), row.length(i), i == 0);
                } else {
                    cell(scratch(), 0, format(row, i, kind), i == 0);
                }
            }
            put(CRLF);
            counted();
        }

        private static final byte[] EMPTY_FIRST = { '"', '"' };
        private static final byte[] CRLF = { '\r', '\n' };

        private void cell(byte[] v, int off, int len, boolean first) throws IOException {
            if (len == 0) {
                if (first) {
                    put(EMPTY_FIRST);
                }
                return;
            }
            boolean neutralised = CsvCells.needsQuote((char) (v[off] & 0xFF));
            int c0 = neutralised ? CsvCells.QUOTE : v[off] & 0xFF;
            boolean quote = c0 <= '#';
            int end = off + len;
            if (!quote) {
                for (int p = off; p < end; p++) {
                    byte b = v[p];
                    if (b == '\n' || b == '\r' || b == '"' || b == ',') {
                        quote = true;
                        break;
                    }
                }
                quote = quote || (v[end - 1] & 0xFF) <= ' ';
            }
            if (!quote) {
                if (neutralised) {
                    put((byte) CsvCells.QUOTE);
                }
                put(v, off, len);
                return;
            }
            put((byte) '"');
            if (neutralised) {
                put((byte) CsvCells.QUOTE);
            }
            int start = off;
            for (int p = off; p < end; p++) {
                if (v[p] == '"') {
                    put(v, start, p + 1 - start);
                    put((byte) '"');
                    start = p + 1;
                }
            }
            put(v, start, end - start);
            put((byte) '"');
        }
    }

    // ---------------------------------------------------------------- NDJSON

    /**
     * One JSON object per line with the columns as keys, as Jackson's generator writes it by default: numbers for
     * the number columns, {@code null} for missing values, strings with {@code "} and {@code \} escaped, the
     * control characters below U+0020 as {@code \b \t \n \f \r} or as a backslash, {@code u00} and two upper-case
     * hex digits, everything else as its UTF-8 bytes.
     */
    static final class Ndjson extends ExportWriter {

        private static final byte[][] KEYS = keys();
        private static final byte[] NULL = { 'n', 'u', 'l', 'l' };
        private static final byte[] UPPER_HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] END = { '}', '\n' };

        private static byte[][] keys() {
            byte[][] keys = new byte[ExportColumn.ALL.size()][];
            for (int i = 0; i < keys.length; i++) {
                keys[i] = ((i == 0 ? "{\"" : ",\"") + ExportColumn.ALL.get(i).header + "\":")
                        .getBytes(StandardCharsets.UTF_8);
            }
            return keys;
        }

        Ndjson(OutputStream out) {
            super(out);
        }

        @Override
        void start() {
            // NDJSON has no header.
        }

        @Override
        void row(LedgerReader.CopyRow row) throws IOException {
            for (int i = 0; i < KEYS.length; i++) {
                put(KEYS[i]);
                if (row.isNull(i)) {
                    put(NULL);
                    continue;
                }
                ExportColumn.Kind kind = ExportColumn.ALL.get(i).kind;
                if (kind == ExportColumn.Kind.TEXT) {
                    string(row.data(), row.offset(i), row.length(i));
                } else if (kind.number) {
                    put(scratch(), 0, format(row, i, kind));
                } else {
                    put((byte) '"');
                    put(scratch(), 0, format(row, i, kind));
                    put((byte) '"');
                }
            }
            put(END);
            counted();
        }

        private void string(byte[] v, int off, int len) throws IOException {
            put((byte) '"');
            int start = off;
            int end = off + len;
            for (int p = off; p < end; p++) {
                int b = v[p] & 0xFF;
                if (b >= 0x20 && b != '"' && b != '\\') {
                    continue;
                }
                put(v, start, p - start);
                put((byte) '\\');
                switch (b) {
                    case '"', '\\' -> put((byte) b);
                    case '\b' -> put((byte) 'b');
                    case '\t' -> put((byte) 't');
                    case '\n' -> put((byte) 'n');
                    case '\f' -> put((byte) 'f');
                    case '\r' -> put((byte) 'r');
                    default -> {
                        put((byte) 'u');
                        put((byte) '0');
                        put((byte) '0');
                        put(UPPER_HEX[b >>> 4]);
                        put(UPPER_HEX[b & 0xF]);
                    }
                }
                start = p + 1;
            }
            put(v, start, end - start);
            put((byte) '"');
        }
    }
}

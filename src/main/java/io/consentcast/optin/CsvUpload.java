package io.consentcast.optin;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.DuplicateHeaderMode;

import io.consentcast.consent.PhoneNumbers;

/**
 * Reads an uploaded import file completely, before anything is stored, or refuses it with an
 * {@link ImportRejected} that names the line. Parsing is commons-csv's; this class decides the
 * encoding, the delimiter and what makes a file unusable as a whole:
 * <ul>
 * <li>UTF-8 unless the upload names another supported {@link #CHARSETS charset}; a UTF-8 byte order mark is
 * dropped; bytes that are not valid in the encoding are refused naming their line.</li>
 * <li>NUL bytes and other control characters (except TAB, CR, LF): not a text file.</li>
 * <li>Comma-separated, or semicolon-separated when the header row has more semicolons than commas (what
 * Excel writes in German locales).</li>
 * <li>A header row with a column {@code phone} (any case); optional {@code opted_in_at}, {@code source},
 * {@code consent_text}; other columns are ignored; a column named twice is refused.</li>
 * <li>At least one and at most {@code maxRows} rows; an unclosed quote or a quote inside a field is refused
 * naming the line where the record starts.</li>
 * </ul>
 * Rows that are readable but unusable (invalid number, not a date, duplicate) are not refused here: the
 * import reports them row by row.
 */
final class CsvUpload {

    /** The encodings an upload may name; everything else is refused. */
    static final List<String> CHARSETS = List.of("UTF-8", "windows-1252", "ISO-8859-1", "ISO-8859-15");

    static final String PHONE = "phone";
    static final String OPTED_IN_AT = "opted_in_at";
    static final String SOURCE = "source";
    static final String CONSENT_TEXT = "consent_text";

    static final int MAX_PHONE = 100;
    static final int MAX_DATE = 100;
    static final int MAX_SOURCE = 301;
    static final int MAX_TEXT = 1501;

    private static final Pattern CSV_LINE = Pattern.compile("(?:startline |line: )(\\d+)");

    /** One row as read: {@code rowNumber} counts the header as row 1; {@code e164} is null for an invalid number. */
    record Row(int rowNumber, String phone, String e164, boolean duplicate, String optedInAt, String source,
            String consentText) {
    }

    private CsvUpload() {
    }

    /** The charset an upload names ({@code null} or blank: UTF-8); 400 on the {@code charset} field otherwise. */
    static Charset charset(String name) {
        if (name == null || name.isBlank()) {
            return StandardCharsets.UTF_8;
        }
        String wanted = name.strip();
        try {
            Charset c = Charset.forName(wanted);
            if (CHARSETS.stream().anyMatch(s -> Charset.forName(s).equals(c))) {
                return c;
            }
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            // refused below
        }
        throw new ImportRejected("charset", "optin.import-charset-unknown", null,
                wanted.length() > 40 ? wanted.substring(0, 40) : wanted, String.join(", ", CHARSETS));
    }

    /** Reads {@code bytes} in {@code charset}; numbers without country code are read in {@code region}. */
    static List<Row> read(byte[] bytes, Charset charset, String region, int maxRows) {
        String text = stripBom(decode(bytes, charset));
        if (text.isBlank()) {
            throw ImportRejected.file("optin.import-empty", null);
        }
        checkControlCharacters(text);
        char delimiter = delimiter(text);
        CSVFormat format = CSVFormat.DEFAULT.builder().setDelimiter(delimiter).setHeader().setSkipHeaderRecord(true)
                .setIgnoreHeaderCase(true).setTrim(true).setIgnoreEmptyLines(true).setAllowMissingColumnNames(true)
                .setDuplicateHeaderMode(DuplicateHeaderMode.DISALLOW).get();
        List<Row> rows = new ArrayList<>();
        try (CSVParser parser = parse(format, text)) {
            List<String> header = parser.getHeaderNames();
            if (header.stream().noneMatch(PHONE::equalsIgnoreCase)) {
                String found = String.join(String.valueOf(delimiter), header);
                throw ImportRejected.file("optin.import-no-phone-column", 1,
                        found.length() > 200 ? found.substring(0, 200) + "…" : found);
            }
            Set<String> seen = new HashSet<>();
            Iterator<CSVRecord> records = parser.iterator();
            while (true) {
                long lineBefore = parser.getCurrentLineNumber();
                CSVRecord r;
                try {
                    if (!records.hasNext()) {
                        break;
                    }
                    r = records.next();
                } catch (UncheckedIOException e) {
                    throw unreadable(e, lineBefore + 1);
                }
                if (rows.size() >= maxRows) {
                    throw ImportRejected.file("optin.import-too-many-rows", (int) lineBefore + 1, maxRows);
                }
                rows.add(row(r, region, seen));
            }
        } catch (IOException e) {
            throw ImportRejected.file("optin.import-unreadable", 1);
        }
        if (rows.isEmpty()) {
            throw ImportRejected.file("optin.import-no-rows", 2);
        }
        return rows;
    }

    private static CSVParser parse(CSVFormat format, String text) throws IOException {
        try {
            return format.parse(new StringReader(text));
        } catch (IllegalArgumentException e) {
            String column = e.getMessage() != null && e.getMessage().contains("duplicate name")
                    ? e.getMessage().replaceAll("(?s).*duplicate name: \"([^\"]*)\".*", "$1") : null;
            if (column != null) {
                throw ImportRejected.file("optin.import-duplicate-column", 1, column);
            }
            throw ImportRejected.file("optin.import-unreadable", 1);
        } catch (UncheckedIOException e) {
            throw unreadable(e, 1);
        }
    }

    private static Row row(CSVRecord r, String region, Set<String> seen) {
        String phone = value(r, PHONE, MAX_PHONE);
        Optional<String> e164 = PhoneNumbers.e164(phone, region);
        boolean duplicate = e164.isPresent() && !seen.add(e164.get());
        return new Row(Math.toIntExact(r.getRecordNumber() + 1), phone, e164.orElse(null), duplicate,
                value(r, OPTED_IN_AT, MAX_DATE), value(r, SOURCE, MAX_SOURCE), value(r, CONSENT_TEXT, MAX_TEXT));
    }

    /** The cell of {@code column} (null when missing or blank), cut to {@code max} characters. */
    private static String value(CSVRecord r, String column, int max) {
        if (!r.isMapped(column) || !r.isSet(column)) {
            return null;
        }
        String v = r.get(column);
        if (v == null || v.isBlank()) {
            return null;
        }
        return v.length() <= max ? v : v.substring(0, max - 1) + "…";
    }

    /** An unclosed quote or a quote inside a field: commons-csv names the line where the record starts. */
    private static ImportRejected unreadable(UncheckedIOException e, long fallbackLine) {
        String message = e.getCause() == null ? null : e.getCause().getMessage();
        long line = fallbackLine;
        if (message != null) {
            Matcher m = CSV_LINE.matcher(message);
            if (m.find()) {
                line = Long.parseLong(m.group(1));
            }
        }
        boolean unclosed = message != null && message.contains("EOF reached before encapsulated token finished");
        return ImportRejected.file(unclosed ? "optin.import-unclosed-quote" : "optin.import-unreadable",
                (int) Math.min(line, Integer.MAX_VALUE));
    }

    /** Strict decoding: the first byte sequence that is not valid in {@code charset} is refused with its line. */
    private static String decode(byte[] bytes, Charset charset) {
        CharsetDecoder decoder = charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            throw ImportRejected.file(charset.equals(StandardCharsets.UTF_8) ? "optin.import-not-utf8"
                    : "optin.import-not-charset", lineOfByte(bytes, in.position()), charset.name());
        }
        result = decoder.flush(out);
        if (result.isError()) {
            throw ImportRejected.file("optin.import-not-utf8", lineOfByte(bytes, bytes.length), charset.name());
        }
        out.flip();
        return out.toString();
    }

    private static int lineOfByte(byte[] bytes, int position) {
        int line = 1;
        for (int i = 0; i < position && i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                line++;
            }
        }
        return line;
    }

    private static String stripBom(String text) {
        return !text.isEmpty() && text.charAt(0) == '\uFEFF' ? text.substring(1) : text;
    }

    /** NUL and the other C0 control characters (TAB, CR and LF excepted) and DEL do not belong in a CSV file. */
    private static void checkControlCharacters(String text) {
        int line = 1;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                line++;
            } else if ((c < 0x20 && c != '\t' && c != '\r') || c == 0x7F) {
                throw ImportRejected.file(c == 0 ? "optin.import-nul" : "optin.import-binary", line);
            }
        }
    }

    private static char delimiter(String text) {
        int end = text.indexOf('\n');
        String header = end < 0 ? text : text.substring(0, end);
        long commas = header.chars().filter(c -> c == ',').count();
        long semicolons = header.chars().filter(c -> c == ';').count();
        return semicolons > commas ? ';' : ',';
    }
}

package io.consentcast.shared;

/**
 * Every cell of every CSV file the product writes passes through {@link #neutralise(Object)}, so that a
 * spreadsheet never reads a value as a formula (CSV injection, OWASP "CSV Injection"). A value that starts with
 * {@code =}, {@code +}, {@code -}, {@code @}, TAB or CR gets a single quote {@code '} in front, which spreadsheets
 * take as "this cell is text". A value that already starts with {@code '} gets one more, so the rule is reversible
 * without ambiguity: <b>a cell that starts with {@code '} had exactly one {@code '} added; remove it</b>
 * ({@link #restore(String)}, docs/LEDGER.md).
 *
 * <p>
 * E.164 phone numbers start with {@code +} and are neutralised like everything else: {@code '+4915112345678}. A
 * spreadsheet shows that as the text {@code +4915112345678}, with the plus and every digit; without the quote it
 * would read a formula or a number (losing the plus, rounding to {@code 4.91511E+12}). No column is exempt, so a
 * new column cannot be forgotten.
 *
 * <p>
 * Only CSV needs this: JSON (NDJSON, the API) is not read as formulas and stays raw.
 */
public final class CsvCells {

    /** What a neutralised cell starts with. */
    public static final char QUOTE = '\'';

    private CsvCells() {
    }

    /** The cell for {@code value}: empty for null, otherwise its text, with {@code '} in front where needed. */
    public static String neutralise(Object value) {
        if (value == null) {
            return "";
        }
        String s = value.toString();
        return needsQuote(s) ? QUOTE + s : s;
    }

    /** The raw value of a cell {@link #neutralise(Object)} wrote: without the one leading {@code '}, if any. */
    public static String restore(String cell) {
        return cell != null && !cell.isEmpty() && cell.charAt(0) == QUOTE ? cell.substring(1) : cell;
    }

    private static boolean needsQuote(String s) {
        return !s.isEmpty() && needsQuote(s.charAt(0));
    }

    /**
     * Whether a cell that starts with {@code first} gets the {@code '} in front. All six characters are ASCII, so
     * a writer of UTF-8 bytes may ask with the first byte (the ledger export, {@code consent.ExportWriter}).
     */
    public static boolean needsQuote(char first) {
        return switch (first) {
            case '=', '+', '-', '@', '\t', '\r', QUOTE -> true;
            default -> false;
        };
    }
}

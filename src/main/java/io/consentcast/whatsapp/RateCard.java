package io.consentcast.whatsapp;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * Meta's prices per delivered template message by pricing market and category, with the card's currency, source
 * and the date from which it is valid. Read from a CSV file: {@code #} comment lines ({@code # source: ...} and
 * {@code # valid-from: yyyy-mm-dd} are required), then the header {@code market,regions,currency,marketing,utility,
 * authentication} and one row per market; {@code regions} lists ISO region codes, {@code *} the market of every
 * region not listed elsewhere. One currency per card.
 */
public record RateCard(String source, LocalDate validFrom, String currency, List<Market> markets) {

    /**
     * Whether this card is an example rather than Meta's prices: its {@code # source:} line starts with
     * {@code EXAMPLE} (the card bundled with Consentcast, until the installation's admins replace it). Estimates
     * priced by it are labelled as such on the issue page.
     */
    public boolean example() {
        return isExample(source);
    }

    /** Whether a card's source line names it an example ({@link #example()}). */
    public static boolean isExample(String source) {
        return source != null && source.strip().regionMatches(true, 0, "EXAMPLE", 0, "EXAMPLE".length());
    }


    /** The bundled example card. */
    static final String BUNDLED = "pricing/rate-card-2026-10-01.csv";

    /** One pricing market: its regions and its price per category. */
    public record Market(String name, List<String> regions, Map<PricingCategory, BigDecimal> rates) {
    }

    /** The market a region is priced in: the one listing it, else the {@code *} market. */
    public Market market(String regionCode) {
        Market fallback = null;
        for (Market m : markets) {
            if (regionCode != null && m.regions().contains(regionCode)) {
                return m;
            }
            if (m.regions().contains("*")) {
                fallback = m;
            }
        }
        return fallback;
    }

    static RateCard read(Path file) {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(r, file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("Rate card " + file + " cannot be read", e);
        }
    }

    static RateCard bundled() {
        try (Reader r = new java.io.InputStreamReader(RateCard.class.getClassLoader().getResourceAsStream(BUNDLED),
                StandardCharsets.UTF_8)) {
            return read(r, BUNDLED);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses a card; a broken card is refused with an {@link IllegalArgumentException} naming the problem. */
    static RateCard read(Reader reader, String name) throws IOException {
        java.io.StringWriter text = new java.io.StringWriter();
        reader.transferTo(text);
        return parse(text.toString(), name);
    }

    static RateCard parse(String text, String name) {
        Map<String, String> meta = new HashMap<>();
        StringBuilder rows = new StringBuilder();
        for (String line : text.split("\\r?\\n")) {
            if (line.startsWith("#")) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    meta.putIfAbsent(line.substring(1, colon).trim().toLowerCase(Locale.ROOT),
                            line.substring(colon + 1).trim());
                }
            } else if (!line.isBlank()) {
                rows.append(line).append('\n');
            }
        }
        String source = meta.get("source");
        if (source == null || source.isBlank()) {
            throw new IllegalArgumentException("Rate card " + name + " names no source (# source: ...)");
        }
        LocalDate validFrom;
        try {
            validFrom = LocalDate.parse(meta.getOrDefault("valid-from", ""));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("Rate card " + name + " has no valid-from date (# valid-from: yyyy-mm-dd)");
        }
        List<Market> markets = new ArrayList<>();
        String currency = null;
        try {
            for (CSVRecord rec : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setTrim(true).build()
                    .parse(new java.io.StringReader(rows.toString()))) {
                String c = rec.get("currency");
                if (currency != null && !currency.equals(c)) {
                    throw new IllegalArgumentException("Rate card " + name + " mixes currencies " + currency + " and " + c);
                }
                currency = c;
                Map<PricingCategory, BigDecimal> rates = new EnumMap<>(PricingCategory.class);
                for (PricingCategory category : PricingCategory.values()) {
                    BigDecimal rate = new BigDecimal(rec.get(category.name().toLowerCase(Locale.ROOT)));
                    if (rate.signum() < 0) {
                        throw new IllegalArgumentException("Rate card " + name + ": negative rate in line "
                                + rec.getRecordNumber());
                    }
                    rates.put(category, rate);
                }
                markets.add(new Market(rec.get("market"), List.of(rec.get("regions").toUpperCase(Locale.ROOT)
                        .split("\\s+")), rates));
            }
        } catch (IllegalStateException | NumberFormatException | IOException e) {
            throw new IllegalArgumentException("Rate card " + name + " is not a valid table: " + e.getMessage());
        }
        if (markets.isEmpty() || markets.stream().noneMatch(m -> m.regions().contains("*"))) {
            throw new IllegalArgumentException("Rate card " + name + " needs a market for every other region (*)");
        }
        return new RateCard(source, validFrom, currency, List.copyOf(markets));
    }
}

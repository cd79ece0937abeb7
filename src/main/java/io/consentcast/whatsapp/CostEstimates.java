package io.consentcast.whatsapp;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;

import io.consentcast.shared.ApiException;
import io.consentcast.shared.Validation;
import io.quarkus.runtime.Startup;

/**
 * What sending a template to a list of recipients will cost by Meta's rate card ({@link RateCard}): each
 * recipient's pricing market from the country calling code of their number (libphonenumber's region), times the
 * market's price for the template's category. An estimate: Meta bills delivered messages only, and volume tiers
 * and free entry points lower the actual cost (the status webhooks' {@link MessagePricing} tells the actual).
 * The card is the bundled example unless {@code consentcast.pricing.rate-card} names the installation's own.
 */
@ApplicationScoped
@Startup
public class CostEstimates {

    private static final Logger LOG = Logger.getLogger(CostEstimates.class);
    static final int MAX_RECIPIENTS = 200_000;

    @Inject
    PricingConfig config;

    private RateCard card;

    /** The cost of one market's recipients. */
    public record MarketCost(String market, long recipients, BigDecimal rate, BigDecimal cost) {
    }

    /**
     * The estimate: total and per market, in the card's currency; {@code unrecognised} numbers (no region) are not
     * in the total. {@code rateCardSource} and {@code validFrom} say which card was used.
     */
    public record Estimate(PricingCategory category, String currency, long recipients, BigDecimal total,
            List<MarketCost> markets, long unrecognised, LocalDate validFrom, String rateCardSource) {
    }

    /** The body of {@code POST /api/tenants/{tenant}/cost-estimates}. */
    public record EstimateRequest(String category, List<String> phoneNumbers) {
    }

    @PostConstruct
    void load() {
        card = config.rateCard().map(p -> RateCard.read(Path.of(p))).orElseGet(RateCard::bundled);
        LOG.infof("Rate card valid from %s (%s, %d markets): %s", card.validFrom(), card.currency(),
                card.markets().size(), card.source());
    }

    public RateCard rateCard() {
        return card;
    }

    /** Checks a request from the API and estimates it; 400 for an unknown category or too many numbers. */
    public Estimate estimate(EstimateRequest request) {
        if (request == null) {
            throw ApiException.badRequest("request.body-missing");
        }
        PricingCategory category = category(request.category());
        List<String> numbers = request.phoneNumbers();
        Validation v = new Validation();
        v.check(category != null, "category", "whatsapp.pricing-category-invalid");
        v.check(numbers != null && numbers.size() <= MAX_RECIPIENTS
                && numbers.stream().noneMatch(n -> n == null || n.length() > 32), "phoneNumbers",
                "whatsapp.pricing-numbers-invalid");
        v.throwIfInvalid();
        return estimate(numbers, category);
    }

    /** The estimate for one template message of {@code category} to each of {@code phoneNumbers} (E.164, "+" optional). */
    public Estimate estimate(Collection<String> phoneNumbers, PricingCategory category) {
        PhoneNumberUtil util = PhoneNumberUtil.getInstance();
        Map<RateCard.Market, Long> counts = new LinkedHashMap<>();
        long unrecognised = 0;
        for (String n : phoneNumbers) {
            String region = region(util, n);
            if (region == null) {
                unrecognised++;
                continue;
            }
            counts.merge(card.market(region), 1L, Long::sum);
        }
        List<MarketCost> lines = new ArrayList<>();
        BigDecimal total = BigDecimal.ZERO;
        long recipients = 0;
        for (Map.Entry<RateCard.Market, Long> e : counts.entrySet()) {
            BigDecimal rate = e.getKey().rates().get(category);
            BigDecimal cost = rate.multiply(BigDecimal.valueOf(e.getValue())).setScale(4, RoundingMode.HALF_UP);
            lines.add(new MarketCost(e.getKey().name(), e.getValue(), rate, cost));
            total = total.add(cost);
            recipients += e.getValue();
        }
        lines.sort((a, b) -> b.cost().compareTo(a.cost()));
        return new Estimate(category, card.currency(), recipients, total.setScale(2, RoundingMode.HALF_UP), lines,
                unrecognised, card.validFrom(), card.source());
    }

    /** A template's category as Meta names it (any letter case); null when it is not one Meta prices. */
    public static PricingCategory category(String name) {
        if (name == null) {
            return null;
        }
        try {
            return PricingCategory.valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String region(PhoneNumberUtil util, String number) {
        String digits = number == null ? "" : number.replaceAll("[^0-9]", "");
        if (digits.length() < 6 || digits.length() > 15) {
            return null;
        }
        try {
            com.google.i18n.phonenumbers.Phonenumber.PhoneNumber parsed = util.parse("+" + digits, "ZZ");
            String region = util.getRegionCodeForNumber(parsed);
            if (region == null || "ZZ".equals(region)) {
                // Not a number of a known range (a new or test number): the main region of its calling code.
                region = util.getRegionCodeForCountryCode(parsed.getCountryCode());
            }
            return region == null || "ZZ".equals(region) || "001".equals(region) ? null : region;
        } catch (NumberParseException e) {
            return null;
        }
    }
}

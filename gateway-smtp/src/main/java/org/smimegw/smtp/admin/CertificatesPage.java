package org.smimegw.smtp.admin;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.smimegw.core.cert.CertificateFacts;
import org.smimegw.core.cert.CertificateKind;
import org.smimegw.core.cert.CertificateRecord;
import org.smimegw.core.cert.CertificateSource;
import org.smimegw.core.cert.Fingerprints;
import org.smimegw.core.revocation.RevocationStatus;
import org.smimegw.smtp.Gateway;
import org.smimegw.smtp.operations.CertificateImport;
import org.smimegw.smtp.operations.CertificateLines;
import org.smimegw.smtp.operations.CertificateRemoval;
import org.smimegw.smtp.operations.CertificateStatus;
import org.smimegw.smtp.operations.ImportResult;
import org.smimegw.smtp.operations.OperationRefused;

/**
 * Certificates: the list (search, sort, pages of {@value #PAGE_SIZE}, expiry marked) with each one's source and
 * revocation status, the view of one certificate with its chain and PEM, the upload (as {@code cert import}),
 * approve for pending harvests (as {@code cert approve}) and delete after a confirmation (as {@code cert delete}).
 */
final class CertificatesPage {
    static final String PATH = "/certificates";
    static final String VIEW = PATH + "/view";
    static final String DELETE = PATH + "/delete";
    static final int PAGE_SIZE = 50;
    /** The list shows this many hex digits of a fingerprint; the whole one is in the title and the view. */
    private static final int SHORT_FINGERPRINT = 16;
    /** The view's names for the fields of {@code cert show}. */
    private static final Map<String, String> LABELS = Map.ofEntries(
            Map.entry("fingerprint", "Fingerprint (SHA-256)"), Map.entry("kind", "Kind"),
            Map.entry("emails", "E-mail addresses"), Map.entry("subject", "Subject"), Map.entry("issuer", "Issuer"),
            Map.entry("serial", "Serial number (hex)"), Map.entry("notBefore", "Not before"),
            Map.entry("notAfter", "Not after"), Map.entry("keyUsage", "Key usage"),
            Map.entry("keyAlgorithm", "Key algorithm"), Map.entry("hasPrivateKey", "Private key stored"),
            Map.entry("source", "Source"), Map.entry("revocation", "Revocation"),
            Map.entry("revokedAt", "Revoked at"));

    /** The columns the list sorts by, named in {@code ?sort=} by their lower-case name. */
    enum Sort {
        EMAIL(Comparator.comparing(c -> c.emails().isEmpty() ? null : c.emails().iterator().next(),
                Comparator.nullsLast(Comparator.naturalOrder()))),
        SUBJECT(Comparator.comparing(c -> c.subject().toLowerCase(Locale.ROOT))),
        ISSUER(Comparator.comparing(c -> c.issuer().toLowerCase(Locale.ROOT))),
        NOTAFTER(Comparator.comparing(CertificateRecord::notAfter)),
        KIND(Comparator.comparing(c -> c.kind().word())),
        SOURCE(Comparator.comparing(c -> c.source().word()));

        private final Comparator<CertificateRecord> order;

        Sort(Comparator<CertificateRecord> order) {
            // the fingerprint breaks ties, so that the pages of a listing neither repeat nor skip a certificate
            this.order = order.thenComparing(CertificateRecord::fingerprint);
        }

        String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What the list shows: the search text, the sort and the page asked for. */
    private record Listing(String q, Sort sort, boolean descending, int page) {
        String href(int toPage) {
            return Html.url(PATH, "q", q, "sort", sort.word(), "order", descending ? "desc" : "asc", "page", toPage);
        }

        /** A column's header: a link that sorts by it, ascending unless it is the ascending sort already. */
        void header(Html html, Sort column, String label) {
            String href = Html.url(PATH, "q", q, "sort", column.word(), "order",
                    column == sort && !descending ? "desc" : "asc");
            if (column != sort) {
                html.raw("<th>").link(href, label).raw("</th>");
            } else {
                html.raw("<th class=\"sorted\" aria-sort=\"" + (descending ? "descending" : "ascending") + "\">")
                        .link(href, label + (descending ? " \u25bc" : " \u25b2")).raw("</th>");
            }
        }
    }

    private final Gateway gateway;
    private final Clock clock;
    private final int expiryWarningDays;

    CertificatesPage(Gateway gateway, Clock clock, int expiryWarningDays) {
        this.gateway = gateway;
        this.clock = clock;
        this.expiryWarningDays = expiryWarningDays;
    }

    /** The upload form and the list as the query asks: {@code q}, {@code sort}, {@code order}, {@code page}. */
    String list(Sessions.Session session, FormFields query) throws PageError {
        Listing listing = new Listing(query.field("q"), sort(query.field("sort")), descending(query.field("order")),
                Paging.requested(query));
        Html html = new Html();
        html.raw("<form class=\"box\" method=\"post\" action=\"/certificates/upload\" enctype=\"multipart/form-data\">")
                .csrf(session.csrf())
                .raw("<label>Certificate file (PEM with one or many certificates, DER or PKCS#7) "
                        + "<input type=\"file\" name=\"file\" id=\"certificate-file\" required></label>"
                        + "<button type=\"submit\" id=\"certificate-upload\">Upload</button></form>");
        List<CertificateRecord> all = gateway.certificates().all();
        if (all.isEmpty()) {
            return html.raw("<p>No certificates are stored.</p>").toString();
        }
        Instant now = clock.instant();
        long expired = all.stream().filter(c -> now.isAfter(c.notAfter())).count();
        long expiring = all.stream().filter(c -> expiresSoon(c, now)).count();
        html.raw(expired + expiring > 0 ? "<p class=\"warning\" id=\"expiry\">" : "<p id=\"expiry\">")
                .text(all.size() + " certificates stored: " + expired + " expired, " + expiring + " expire within "
                        + expiryWarningDays + " days.").raw("</p>");
        html.raw("<form class=\"search\" method=\"get\" action=\"").raw(PATH).raw("\">")
                .raw("<label>Search <input type=\"search\" name=\"q\" id=\"certificate-search\" value=\"")
                .text(listing.q()).raw("\" placeholder=\"e-mail, subject, issuer or fingerprint\"></label>")
                .raw("<input type=\"hidden\" name=\"sort\" value=\"").text(listing.sort().word()).raw("\">")
                .raw("<input type=\"hidden\" name=\"order\" value=\"").text(listing.descending() ? "desc" : "asc")
                .raw("\"><button type=\"submit\" id=\"certificate-search-submit\">Search</button>");
        if (!listing.q().isEmpty()) {
            html.raw(" ").link(PATH, "Show all");
        }
        html.raw("</form>");
        Comparator<CertificateRecord> order = listing.sort().order;
        List<CertificateRecord> matching = all.stream().filter(c -> matches(c, listing.q()))
                .sorted(listing.descending() ? order.reversed() : order).toList();
        if (matching.isEmpty()) {
            return html.raw("<p id=\"no-match\">No certificate matches \u201c").text(listing.q())
                    .raw("\u201d.</p>").toString();
        }
        Paging.Window window = Paging.window(listing.page(), matching.size(), PAGE_SIZE);
        Paging.links(html, window, listing::href);
        html.raw("<table id=\"certificates\"><thead><tr><th>Fingerprint</th>");
        listing.header(html, Sort.KIND, "Kind");
        listing.header(html, Sort.EMAIL, "E-mail");
        listing.header(html, Sort.SUBJECT, "Subject");
        listing.header(html, Sort.ISSUER, "Issuer");
        listing.header(html, Sort.NOTAFTER, "Not after");
        html.raw("<th>Valid now</th>");
        listing.header(html, Sort.SOURCE, "Source");
        html.raw("<th>Revocation</th><th>Key</th><th></th></tr></thead><tbody>");
        Set<String> withKey = Set.copyOf(gateway.keys().certificateFingerprints());
        CertificateStatus statuses = new CertificateStatus(gateway.lookup(), gateway.revocation(), now);
        for (CertificateRecord c : window.of(matching)) {
            boolean expiredNow = now.isAfter(c.notAfter());
            html.raw(expiredNow ? "<tr class=\"expired\">" : expiresSoon(c, now) ? "<tr class=\"expiring\">" : "<tr>")
                    .raw("<td class=\"mono\">");
            fingerprintLink(html, c.fingerprint());
            html.raw("</td>").element("td", c.kind().word())
                    .wrapped(String.join(", ", c.emails()))
                    .wrapped(c.subject())
                    .wrapped(c.issuer())
                    .raw("<td>").text(Display.minute(c.notAfter()));
            String expiry = expiry(c, now);
            if (!expiry.isEmpty()) {
                html.raw("<span class=\"expiry\">").text(expiry).raw("</span>");
            }
            html.raw("</td>").element("td", c.validAt(now) ? "yes" : "no")
                    .element("td", c.source().word())
                    .element("td", revocation(statuses.revocation(c)))
                    .element("td", withKey.contains(c.fingerprint()) ? "yes" : "no")
                    .raw("<td class=\"actions\">");
            actions(html, c, session.csrf());
            html.raw("</td></tr>");
        }
        return html.raw("</tbody></table>").toString();
    }

    /** Every field of one certificate, its chain, its PEM and its text dump; 404 for an unknown fingerprint. */
    String view(Sessions.Session session, FormFields query) throws PageError {
        CertificateRecord c = find(query.field("fingerprint"));
        Instant now = clock.instant();
        boolean hasKey = gateway.keys().find(c.fingerprint()).isPresent();
        RevocationStatus revocation = new CertificateStatus(gateway.lookup(), gateway.revocation(), now).revocation(c);
        X509Certificate certificate = c.certificate();
        Html html = new Html().raw("<p class=\"actions\">");
        actions(html, c, session.csrf());
        html.raw("</p><table class=\"fields\" id=\"certificate-fields\"><tbody>");
        CertificateLines.fields(c, hasKey, revocation).forEach((name, value) -> {
            if (value != null) {
                html.field(LABELS.getOrDefault(name, name), value instanceof List<?> list
                        ? String.join(", ", list.stream().map(String::valueOf).toList())
                        : value instanceof Boolean yes ? yes ? "yes" : "no" : value);
            }
        });
        html.field("Key size", CertificateFacts.keySize(certificate) + " bits");
        html.field("Extended key usage", String.join(", ", CertificateFacts.extendedKeyUsageNames(certificate)));
        int pathLength = certificate.getBasicConstraints();
        html.field("Basic constraints", pathLength < 0 ? "not a CA"
                : pathLength == Integer.MAX_VALUE ? "CA, no path length limit" : "CA, path length " + pathLength);
        String expiry = expiry(c, now);
        html.field("Valid now", (c.validAt(now) ? "yes" : "no") + (expiry.isEmpty() ? "" : " (" + expiry + ")"));
        html.raw("</tbody></table><h2>Chain</h2>");
        chain(html, certificate);
        html.raw("<h2>PEM</h2><pre id=\"pem\">").text(CertificateLines.pem(certificate)).raw("</pre>")
                .raw("<h2>As text</h2><pre id=\"dump\">").text(certificate.toString()).raw("</pre>");
        return html.toString();
    }

    /** The page that asks before a certificate is deleted, with a confirmation token for it alone. */
    String confirmDelete(Sessions.Session session, FormFields query) throws PageError {
        CertificateRecord c = find(query.field("fingerprint"));
        Html html = new Html().raw("<p>This deletes the ").text(c.kind().word()).raw(" certificate <strong>")
                .text(c.subject()).raw("</strong>");
        if (!c.emails().isEmpty()) {
            html.raw(" for ").text(String.join(", ", c.emails()));
        }
        html.raw(", fingerprint <code class=\"wrap\">").text(c.fingerprint()).raw("</code>, source ")
                .text(c.source().word()).raw(".</p>");
        if (gateway.keys().find(c.fingerprint()).isPresent()) {
            html.raw("<p class=\"danger\" id=\"private-key-warning\">Its private key is stored and is deleted with it."
                    + " Mail can then no longer be signed with this identity, and mail encrypted to it can no longer"
                    + " be decrypted by the gateway.</p>");
        } else if (c.anchor()) {
            html.raw("<p class=\"danger\">It is a CA certificate the gateway trusts. Signatures and certificates that"
                    + " chain to it are then no longer trusted through it.</p>");
        } else if (c.kind() == CertificateKind.CLIENT) {
            html.raw("<p class=\"warning\">Mail to its addresses can then no longer be encrypted with it.</p>");
        }
        return html.confirmation(DELETE, session.csrf(), "fingerprint", c.fingerprint(),
                session.confirmation(DELETE, c.fingerprint()), PATH).toString();
    }

    /** Imports the uploaded file; one notice line per certificate, in the words {@code cert import} prints. */
    Layout.Notice upload(MultipartForm form) {
        MultipartForm.Upload file = form.file("file");
        if (file == null) {
            return Layout.Notice.refusal("choose a certificate file to upload");
        }
        String name = file.fileName().isEmpty() ? "upload" : file.fileName();
        return notice(CertificateImport.importFile(gateway.admin(), file.content(), name));
    }

    /** Deletes a certificate once its deletion was confirmed. */
    Layout.Notice delete(String fingerprint) {
        return refusable(removal()::deleteCertificate, fingerprint);
    }

    Layout.Notice approve(FormFields form) {
        return refusable(removal()::approve, form.field("fingerprint"));
    }

    /** The certificate a fingerprint or unique prefix names; 404 naming it otherwise. */
    CertificateRecord find(String fingerprint) throws PageError {
        try {
            return removal().resolve(fingerprint);
        } catch (OperationRefused e) {
            throw PageError.notFound(e.getMessage());
        }
    }

    /** Runs an operation; its line is a done notice, its refusal a refused one. */
    static Layout.Notice refusable(Function<String, String> operation, String target) {
        try {
            return Layout.Notice.done(operation.apply(target));
        } catch (OperationRefused e) {
            return Layout.Notice.refusal(e.getMessage());
        }
    }

    private CertificateRemoval removal() {
        return new CertificateRemoval(gateway.certificates(), gateway.keys(), gateway.admin());
    }

    static Layout.Notice notice(List<ImportResult> results) {
        List<String> lines = new ArrayList<>();
        List<Boolean> refused = new ArrayList<>();
        for (ImportResult r : results) {
            lines.add(r.line());
            refused.add(!r.imported());
        }
        return new Layout.Notice(lines, refused);
    }

    /** The first hex digits of a fingerprint, linked to the certificate's view, the whole one in the title. */
    static void fingerprintLink(Html html, String fingerprint) {
        html.raw("<a href=\"").text(Html.url(VIEW, "fingerprint", fingerprint)).raw("\" title=\"").text(fingerprint)
                .raw("\">").text(fingerprint.substring(0, Math.min(SHORT_FINGERPRINT, fingerprint.length())))
                .raw("\u2026</a>");
    }

    private void actions(Html html, CertificateRecord c, String csrf) {
        if (c.source() == CertificateSource.PENDING) {
            html.button("/certificates/approve", "Approve", csrf, "fingerprint", c.fingerprint()).raw(" ");
        }
        html.buttonLink(Html.url(DELETE, "fingerprint", c.fingerprint()), "Delete");
    }

    /** The issuers from the stored CA certificates, nearest first, and whether they end in a stored root. */
    private void chain(Html html, X509Certificate certificate) {
        if (selfIssued(certificate)) {
            html.raw("<p id=\"chain-end\">This certificate is self-issued: it is a root of its own.</p>");
            return;
        }
        List<X509Certificate> chain = gateway.lookup().chain(certificate);
        if (!chain.isEmpty()) {
            html.raw("<table id=\"chain\"><thead><tr><th>Issuer</th><th>Fingerprint</th><th>Not after</th></tr>"
                    + "</thead><tbody>");
            for (X509Certificate issuer : chain) {
                html.raw("<tr>").wrapped(CertificateFacts.subject(issuer)).raw("<td class=\"mono\">");
                fingerprintLink(html, Fingerprints.sha256(issuer));
                html.raw("</td>").element("td", Display.minute(issuer.getNotAfter().toInstant())).raw("</tr>");
            }
            html.raw("</tbody></table>");
        }
        X509Certificate top = chain.isEmpty() ? certificate : chain.get(chain.size() - 1);
        if (selfIssued(top)) {
            html.raw("<p id=\"chain-end\">The chain ends in the stored root ").text(CertificateFacts.subject(top))
                    .raw(".</p>");
        } else {
            html.raw("<p class=\"warning\" id=\"chain-end\">The chain does not end in a stored root: the issuer ")
                    .text(CertificateFacts.issuer(top)).raw(" is not stored.</p>");
        }
    }

    private static boolean selfIssued(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal());
    }

    /** {@code expired}, {@code expires in N days} within the warning days, or empty. */
    private String expiry(CertificateRecord c, Instant now) {
        if (now.isAfter(c.notAfter())) {
            return "expired";
        }
        if (!expiresSoon(c, now)) {
            return "";
        }
        long days = Duration.between(now, c.notAfter()).toDays();
        return days == 0 ? "expires within a day" : "expires in " + days + (days == 1 ? " day" : " days");
    }

    private boolean expiresSoon(CertificateRecord c, Instant now) {
        return !now.isAfter(c.notAfter()) && c.notAfter().isBefore(now.plus(Duration.ofDays(expiryWarningDays)));
    }

    private static String revocation(RevocationStatus status) {
        return status instanceof RevocationStatus.Revoked revoked
                ? "revoked " + CertificateLines.date(revoked.revokedAt()) : status.word();
    }

    /** Whether the e-mail addresses, subject, issuer or fingerprint contain the text, ignoring case. */
    private static boolean matches(CertificateRecord c, String text) {
        if (text.isEmpty()) {
            return true;
        }
        String wanted = text.toLowerCase(Locale.ROOT);
        return c.emails().stream().anyMatch(e -> e.toLowerCase(Locale.ROOT).contains(wanted))
                || c.subject().toLowerCase(Locale.ROOT).contains(wanted)
                || c.issuer().toLowerCase(Locale.ROOT).contains(wanted)
                || c.fingerprint().toLowerCase(Locale.ROOT).contains(wanted);
    }

    private static Sort sort(String word) throws PageError {
        if (word.isEmpty()) {
            return Sort.EMAIL;
        }
        for (Sort sort : Sort.values()) {
            if (sort.word().equals(word)) {
                return sort;
            }
        }
        throw PageError.badParameter("sort", word, "is not one of "
                + String.join(", ", Arrays.stream(Sort.values()).map(Sort::word).toList()));
    }

    /** {@code ?order=}: {@code asc} (the default) or {@code desc}. */
    private static boolean descending(String order) throws PageError {
        return switch (order) {
            case "", "asc" -> false;
            case "desc" -> true;
            default -> throw PageError.badParameter("order", order, "is not one of asc, desc");
        };
    }
}

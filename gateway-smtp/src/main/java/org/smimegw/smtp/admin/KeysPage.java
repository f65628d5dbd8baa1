package org.smimegw.smtp.admin;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.smimegw.core.cert.CertificateFacts;
import org.smimegw.core.cert.CertificateRecord;
import org.smimegw.core.cert.IdentityRequests;
import org.smimegw.core.port.PendingKeys;
import org.smimegw.smtp.Gateway;
import org.smimegw.smtp.operations.CertificateImport;
import org.smimegw.smtp.operations.CertificateRemoval;
import org.smimegw.smtp.operations.IdentityRequest;
import org.smimegw.smtp.operations.KeyImport;
import org.smimegw.smtp.operations.OperationRefused;

/**
 * Organisation keys: the identities with a private key, the PKCS#12 upload with its password (as {@code key
 * import}) and delete after a confirmation (as {@code key delete}). The password is never shown again, never logged,
 * and its characters are cleared after use. A key pair is also made here (as {@code key request}, docs/design.md
 * §14): the request is shown and offered for download, and the certificate the CA issues is uploaded to complete it.
 */
final class KeysPage {
    static final String PATH = "/keys";
    static final String DELETE = PATH + "/delete";
    static final String REQUEST = PATH + "/request";
    static final String REQUEST_PEM = PATH + "/request.pem";
    static final String COMPLETE = PATH + "/complete";
    private final Gateway gateway;
    private final Clock clock;
    private final CertificatesPage certificates;

    KeysPage(Gateway gateway, Clock clock, CertificatesPage certificates) {
        this.gateway = gateway;
        this.clock = clock;
        this.certificates = certificates;
    }

    String body(String csrf) {
        Html html = new Html();
        html.raw("<form class=\"box\" method=\"post\" action=\"/keys/upload\" enctype=\"multipart/form-data\""
                + " autocomplete=\"off\">").csrf(csrf)
                .raw("<label>PKCS#12 file (.p12, .pfx) <input type=\"file\" name=\"file\" id=\"key-file\""
                        + " accept=\".p12,.pfx\" required></label>"
                        + "<label>Its password <input type=\"password\" name=\"password\" id=\"key-password\""
                        + " autocomplete=\"off\"></label>"
                        + "<button type=\"submit\" id=\"key-upload\">Upload</button></form>");
        html.raw("<form class=\"box\" method=\"post\" action=\"" + REQUEST + "\">").csrf(csrf)
                .raw("<strong>Or make the key pair here</strong> and get a certificate request for a CA; the private"
                        + " key never leaves the gateway."
                        + "<label>Address <input type=\"email\" name=\"email\" id=\"request-email\" required></label>"
                        + "<label>Subject (optional) <input type=\"text\" name=\"subject\" id=\"request-subject\""
                        + " placeholder=\"CN=Helpdesk,O=Example Org,C=DE\"></label>"
                        + "<label>Algorithm <select name=\"algorithm\" id=\"request-algorithm\">");
        for (IdentityRequests.Algorithm algorithm : IdentityRequests.Algorithm.values()) {
            html.raw("<option>").text(algorithm.word()).raw("</option>");
        }
        html.raw("</select></label><button type=\"submit\" id=\"request-submit\">Make key pair and request</button>"
                + "</form>");
        pending(html, csrf);
        var fingerprints = gateway.keys().certificateFingerprints();
        if (fingerprints.isEmpty()) {
            return html.raw("<p>No organisation key is stored.</p>").toString();
        }
        html.raw("<table id=\"keys\"><thead><tr><th>Certificate</th><th>E-mail</th><th>Algorithm</th>"
                + "<th>Subject</th><th>Not after</th><th>Valid now</th><th></th></tr></thead>"
                + "<tbody>");
        var now = clock.instant();
        for (String fingerprint : fingerprints) {
            Optional<CertificateRecord> record = gateway.certificates().findByFingerprint(fingerprint);
            html.raw("<tr><td class=\"mono\">");
            CertificatesPage.fingerprintLink(html, fingerprint);
            html.raw("</td>");
            if (record.isEmpty()) {
                html.raw("<td colspan=\"5\">(certificate missing)</td>");
            } else {
                CertificateRecord c = record.get();
                html.wrapped(String.join(", ", c.emails()))
                        .element("td", CertificateFacts.keyAlgorithm(c.certificate()))
                        .wrapped(c.subject())
                        .element("td", Display.minute(c.notAfter()))
                        .element("td", c.validAt(now) ? "yes" : "no");
            }
            html.raw("<td class=\"actions\">").buttonLink(Html.url(DELETE, "fingerprint", fingerprint), "Delete key")
                    .raw("</td></tr>");
        }
        return html.raw("</tbody></table>").toString();
    }

    /** The pending requests, with the upload that completes them; nothing when there are none. */
    private void pending(Html html, String csrf) {
        List<PendingKeys.Pending> pending = gateway.admin().pending();
        if (pending.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        html.raw("<h2>Pending requests</h2><table id=\"pending\"><thead><tr><th>Request</th><th>E-mail</th>"
                + "<th>Algorithm</th><th>Subject</th><th>Requested</th><th></th></tr></thead><tbody>");
        for (PendingKeys.Pending p : pending) {
            html.raw("<tr><td class=\"mono\">").link(Html.url(REQUEST, "id", p.id()), p.id().substring(0, 16))
                    .raw("</td>").wrapped(p.email()).element("td", p.algorithm()).wrapped(p.subject())
                    .raw("<td>").text(Display.minute(p.requestedAt())).raw("<span class=\"relative\">")
                    .text(IdentityRequest.age(p.requestedAt(), now) + " ago").raw("</span></td><td class=\"actions\">")
                    .buttonLink(Html.url(REQUEST_PEM, "id", p.id()), "Download request")
                    .raw(" ").buttonLink(Html.url(DELETE, "fingerprint", p.id()), "Delete").raw("</td></tr>");
        }
        html.raw("</tbody></table>");
        completeForm(html, csrf);
    }

    /** The upload of certificates issued for pending requests, under the pending list and on a request's page. */
    private static void completeForm(Html html, String csrf) {
        html.raw("<form class=\"box\" method=\"post\" action=\"" + COMPLETE + "\" enctype=\"multipart/form-data\">")
                .csrf(csrf)
                .raw("<label>Certificate issued for a pending request (PEM, DER or PKCS#7, with its CA chain if"
                        + " the CA sent one) <input type=\"file\" name=\"file\" id=\"complete-file\" required></label>"
                        + "<button type=\"submit\" id=\"complete-upload\">Upload</button></form>");
    }

    /**
     * Makes a key pair and keeps it pending (as {@code key request}); the browser is sent to the request's page, or
     * back to the list with the refusal.
     */
    Requested request(FormFields form) {
        try {
            IdentityRequests.Made made = IdentityRequest.make(form.field("email"),
                    form.field("subject").isBlank() ? null : form.field("subject"), form.field("algorithm"));
            List<String> renewing = gateway.admin().addPending(made, "admin page");
            List<String> lines = IdentityRequest.requested(made, renewing);
            return new Requested(new Layout.Notice(lines, lines.stream().map(line -> false).toList()),
                    Html.url(REQUEST, "id", made.id()));
        } catch (OperationRefused e) {
            return new Requested(Layout.Notice.refusal(e.getMessage()), PATH);
        }
    }

    /** The result of a request form: the notice, and where the browser goes next. */
    record Requested(Layout.Notice notice, String page) {
    }

    /** A pending request's page: the request as PEM to copy or download, and the upload of what the CA issues. */
    String requestView(Sessions.Session session, FormFields query) throws PageError {
        PendingKeys.Pending p = pendingRequest(query);
        Html html = new Html().raw("<table class=\"fields\" id=\"request-fields\"><tbody>");
        html.field("Request", p.id()).field("E-mail", p.email()).field("Subject", p.subject())
                .field("Algorithm", p.algorithm())
                .field("Requested", Display.minute(p.requestedAt()) + " ("
                        + IdentityRequest.age(p.requestedAt(), clock.instant()) + " ago)");
        html.raw("</tbody></table><p>Send this certificate request (PKCS#10) to your CA: ")
                .buttonLink(Html.url(REQUEST_PEM, "id", p.id()), "Download request")
                .raw("</p><pre id=\"request-pem\">").text(pem(p)).raw("</pre>");
        completeForm(html, session.csrf());
        return html.toString();
    }

    /** The request as a PEM file, and its file name ({@code <address>-request.pem}). */
    Download requestFile(FormFields query) throws PageError {
        PendingKeys.Pending p = pendingRequest(query);
        return new Download(p.email().replaceAll("[^A-Za-z0-9@._-]", "_") + "-request.pem",
                pem(p).getBytes(StandardCharsets.US_ASCII));
    }

    /** A file the browser saves rather than shows. */
    record Download(String fileName, byte[] content) {
    }

    /** Imports certificates issued for pending requests; the lines are those of {@code cert import}. */
    Layout.Notice complete(MultipartForm form) {
        MultipartForm.Upload file = form.file("file");
        if (file == null) {
            return Layout.Notice.refusal("choose the certificate file the CA issued");
        }
        String name = file.fileName().isEmpty() ? "upload" : file.fileName();
        return CertificatesPage.notice(CertificateImport.completeRequests(gateway.admin(), file.content(), name));
    }

    private String pem(PendingKeys.Pending p) throws PageError {
        try {
            return IdentityRequest.pem(gateway.admin(), p);
        } catch (OperationRefused e) {
            throw PageError.notFound(e.getMessage());
        }
    }

    private PendingKeys.Pending pendingRequest(FormFields query) throws PageError {
        String id = query.field("id");
        return gateway.admin().pending(id)
                .orElseThrow(() -> PageError.notFound("there is no pending request " + id));
    }

    /** Imports the uploaded PKCS#12 file with its password; the notice lines are those of {@code key import}. */
    Layout.Notice upload(MultipartForm form) {
        char[] password = form.secret("password");
        try {
            MultipartForm.Upload file = form.file("file");
            if (file == null) {
                return Layout.Notice.refusal("choose a PKCS#12 file to upload");
            }
            String name = file.fileName().isEmpty() ? "upload" : file.fileName();
            // an empty field means no password, as when key import is given none
            char[] secret = password.length == 0 ? null : password;
            return CertificatesPage.notice(KeyImport.importFile(gateway.admin(), file.content(), secret, name));
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    /**
     * The page that asks before an organisation key is deleted, with a confirmation token for it alone; 404 when
     * the certificate has no stored key.
     */
    String confirmDelete(Sessions.Session session, FormFields query) throws PageError {
        String target = query.field("fingerprint");
        Optional<PendingKeys.Pending> request = gateway.admin().pending(target);
        if (request.isPresent()) {
            PendingKeys.Pending p = request.get();
            return new Html().raw("<p>This deletes the pending request <code class=\"wrap\">").text(p.id())
                    .raw("</code> for <strong>").text(p.email()).raw("</strong>, and its private key.</p>")
                    .raw("<p class=\"danger\" id=\"private-key-warning\">A certificate the CA issues for this request"
                            + " can then never be used: its key is gone.</p>")
                    .confirmation(DELETE, session.csrf(), "fingerprint", p.id(), session.confirmation(DELETE, p.id()),
                            PATH).toString();
        }
        CertificateRecord c = certificates.find(target);
        if (gateway.keys().find(c.fingerprint()).isEmpty()) {
            throw PageError.notFound("certificate " + c.fingerprint() + " has no private key");
        }
        return new Html().raw("<p>This deletes the private key of <strong>").text(c.subject()).raw("</strong> (")
                .text(String.join(", ", c.emails())).raw("), certificate <code class=\"wrap\">")
                .text(c.fingerprint()).raw("</code>. The certificate stays.</p>")
                .raw("<p class=\"danger\" id=\"private-key-warning\">Mail can then no longer be signed with this"
                        + " organisation identity, and mail encrypted to it can no longer be decrypted by the gateway."
                        + " Keep the PKCS#12 file if the key may be needed again.</p>")
                .confirmation(DELETE, session.csrf(), "fingerprint", c.fingerprint(),
                        session.confirmation(DELETE, c.fingerprint()), PATH).toString();
    }

    /** Deletes an organisation key once its deletion was confirmed. */
    Layout.Notice delete(String fingerprint) {
        return CertificatesPage.refusable(removal()::deleteKey, fingerprint);
    }

    private CertificateRemoval removal() {
        return new CertificateRemoval(gateway.certificates(), gateway.keys(), gateway.admin());
    }
}

package org.smimegw.smtp.admin;

import java.time.Clock;
import java.util.Arrays;
import java.util.Optional;

import org.smimegw.core.cert.CertificateFacts;
import org.smimegw.core.cert.CertificateRecord;
import org.smimegw.smtp.Gateway;
import org.smimegw.smtp.operations.CertificateRemoval;
import org.smimegw.smtp.operations.KeyImport;

/**
 * Organisation keys: the identities with a private key, the PKCS#12 upload with its password (as {@code key
 * import}) and delete after a confirmation (as {@code key delete}). The password is never shown again, never logged,
 * and its characters are cleared after use.
 */
final class KeysPage {
    static final String PATH = "/keys";
    static final String DELETE = PATH + "/delete";
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
        CertificateRecord c = certificates.find(query.field("fingerprint"));
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

package org.smimegw.smtp.admin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class MultipartFormTest {
    private static final String TYPE = "multipart/form-data; boundary=XyZ";

    private static byte[] body(String text) {
        return text.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void readsTextFieldsAsUtf8AndFilesWithTheLastPathElementOfTheirName() throws IOException {
        MultipartForm form = MultipartForm.parse(TYPE, body("""
                --XyZ
                Content-Disposition: form-data; name="csrf"

                token-ü
                --XyZ
                Content-Disposition: form-data; name="file"; filename="C:\\\\certs\\\\alice.pem"
                Content-Type: application/x-x509-ca-cert

                -----BEGIN CERTIFICATE-----
                --XyZ--
                """));

        assertEquals("token-ü", form.field("csrf"));
        assertEquals("", form.field("missing"));
        MultipartForm.Upload file = form.file("file");
        assertEquals("alice.pem", file.fileName());
        assertArrayEquals("-----BEGIN CERTIFICATE-----".getBytes(StandardCharsets.US_ASCII), file.content());
    }

    @Test
    void aSecretIsHandedOutOnceAsCharactersAndAnEmptyFileFieldIsNoUpload() throws IOException {
        MultipartForm form = MultipartForm.parse(TYPE, body("""
                --XyZ
                Content-Disposition: form-data; name="password"

                pässword
                --XyZ
                Content-Disposition: form-data; name="file"; filename=""
                Content-Type: application/octet-stream


                --XyZ--
                """));

        assertArrayEquals("pässword".toCharArray(), form.secret("password"));
        assertEquals(0, form.secret("password").length, "the secret stayed in the form");
        assertNull(form.file("file"));
    }

    @Test
    void fileNamesLoseControlCharactersAndAreCut() {
        assertEquals("evil.pem", MultipartForm.baseName("../../evil\r\n.pem"));
        assertEquals(100, MultipartForm.baseName("a".repeat(300)).length());
    }

    @Test
    void aBodyWithoutItsBoundaryIsMalformed() {
        assertThrows(IOException.class, () -> MultipartForm.parse(TYPE, body("no parts here\n")).field("x"));
    }
}

package org.smimegw.smtp.admin;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.ContentDisposition;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.ParseException;
import jakarta.mail.util.ByteArrayDataSource;

/**
 * A parsed {@code multipart/form-data} body (Angus Mail's MIME parser does the parsing). Text fields are decoded as
 * UTF-8, the charset of the page that sent the form; file fields keep their bytes and the file name the browser
 * sent, cut to its last path element.
 */
final class MultipartForm implements FormFields {
    /** An uploaded file: the name the browser gave (untrusted: shown escaped only) and the content. */
    record Upload(String fileName, byte[] content) {
    }

    private final Map<String, byte[]> fields = new HashMap<>();
    private final Map<String, Upload> files = new HashMap<>();

    private MultipartForm() {
    }

    /** Parses {@code body} sent with {@code contentType}; a malformed body is an {@link IOException}. */
    static MultipartForm parse(String contentType, byte[] body) throws IOException {
        MultipartForm form = new MultipartForm();
        try {
            MimeMultipart multipart = new MimeMultipart(new ByteArrayDataSource(body, contentType));
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart part = multipart.getBodyPart(i);
                String[] disposition = part.getHeader("Content-Disposition");
                if (disposition == null || disposition.length == 0) {
                    continue;
                }
                ContentDisposition cd = new ContentDisposition(disposition[0]);
                String name = cd.getParameter("name");
                if (name == null || form.fields.containsKey(name) || form.files.containsKey(name)) {
                    continue;
                }
                byte[] content;
                try (InputStream in = part.getInputStream()) {
                    content = in.readAllBytes();
                }
                String fileName = cd.getParameter("filename");
                if (fileName != null) {
                    form.files.put(name, new Upload(baseName(fileName), content));
                } else {
                    form.fields.put(name, content);
                }
            }
        } catch (ParseException e) {
            throw new IOException("malformed form data: " + e.getMessage(), e);
        } catch (MessagingException e) {
            throw new IOException("malformed form data: " + e.getMessage(), e);
        }
        return form;
    }

    @Override
    public String field(String name) {
        byte[] value = fields.get(name);
        return value == null ? "" : new String(value, StandardCharsets.UTF_8);
    }

    /** A secret text field as characters; its bytes here are cleared, and the caller clears the array. */
    char[] secret(String name) {
        byte[] value = fields.remove(name);
        if (value == null) {
            return new char[0];
        }
        CharBuffer chars = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(value));
        char[] secret = new char[chars.remaining()];
        chars.get(secret);
        Arrays.fill(value, (byte) 0);
        if (chars.hasArray()) {
            Arrays.fill(chars.array(), '\0');
        }
        return secret;
    }

    /** An uploaded file, or null when the field is missing or no file was chosen. */
    Upload file(String name) {
        Upload upload = files.get(name);
        return upload == null || upload.fileName().isEmpty() && upload.content().length == 0 ? null : upload;
    }

    /** The last path element of a browser-sent file name, without control characters, at most 100 characters. */
    static String baseName(String fileName) {
        String name = fileName.substring(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
        name = name.codePoints().filter(c -> !Character.isISOControl(c))
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return name.length() > 100 ? name.substring(0, 100) : name;
    }
}

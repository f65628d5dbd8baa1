package org.smimegw.core.queue;

import java.security.SecureRandom;
import java.time.Instant;

/**
 * New queue ids: 16 characters of lower-case base 32, the first nine from the time in milliseconds (so ids sort
 * roughly by arrival), the rest random. Safe in SMTP replies, headers, file names and URLs. Thread-safe.
 */
public final class QueueIds {
    private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private QueueIds() {
    }

    public static String next(Instant now) {
        char[] id = new char[16];
        long time = now.toEpochMilli();
        for (int i = 8; i >= 0; i--) {
            id[i] = ALPHABET[(int) (time & 31)];
            time >>>= 5;
        }
        long random = RANDOM.nextLong();
        for (int i = 9; i < 16; i++) {
            id[i] = ALPHABET[(int) (random & 31)];
            random >>>= 5;
        }
        return new String(id);
    }

    /** True for a string {@link #next} could have made; used to refuse garbage before touching the store. */
    public static boolean looksValid(String id) {
        return id != null && id.matches("[0-9a-hjkmnp-tv-z]{16}");
    }
}

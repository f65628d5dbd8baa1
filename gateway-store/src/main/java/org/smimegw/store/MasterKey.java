package org.smimegw.store;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key that encrypts private keys at rest: AES-256-GCM, a fresh random 12-byte IV per encryption, the caller's
 * associated data bound in. The file holds exactly 32 raw random bytes (no encoding, no newline); when absent it is
 * created with mode 600. Thread-safe: each operation uses its own {@link Cipher}.
 */
final class MasterKey {
    static final int KEY_BYTES = 32;
    static final int IV_BYTES = 12;
    static final String SCHEME = "AES-256-GCM";
    private static final int TAG_BITS = 128;
    /** Execute bits are not listed: they expose nothing of a data file. */
    private static final Set<PosixFilePermission> LOOSE = EnumSet.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);

    private final Path file;
    private final SecretKeySpec key;
    private final SecureRandom random;

    private MasterKey(Path file, byte[] bytes, SecureRandom random) {
        this.file = file;
        this.key = new SecretKeySpec(bytes, "AES");
        this.random = random;
        Arrays.fill(bytes, (byte) 0);
    }

    /**
     * Reads the key file, creating it (and its directory) with 32 random bytes and mode 600 when absent. On a POSIX
     * file system a file that group or others may read or write is refused: whoever can read it can open every
     * stored private key, so the gateway must not start on it and make that look normal.
     */
    static MasterKey loadOrCreate(Path file) {
        SecureRandom random = new SecureRandom();
        try {
            if (!Files.exists(file)) {
                create(file, random);
            }
            refuseLoosePermissions(file);
            byte[] bytes = Files.readAllBytes(file);
            if (bytes.length != KEY_BYTES) {
                Arrays.fill(bytes, (byte) 0);
                throw new StoreException("master key file " + file + " must hold exactly " + KEY_BYTES
                        + " raw bytes, but holds " + bytes.length);
            }
            return new MasterKey(file, bytes, random);
        } catch (IOException e) {
            throw StoreException.of("cannot read or create master key file " + file, e);
        }
    }

    private static void refuseLoosePermissions(Path file) throws IOException {
        if (!file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
        if (permissions.stream().anyMatch(LOOSE::contains)) {
            throw new StoreException("master key file " + file + " has mode " + octal(permissions) + " ("
                    + PosixFilePermissions.toString(permissions) + "): group or others may read or write it;"
                    + " run chmod 600 " + file);
        }
    }

    /** The mode as {@code ls -l} users and {@code chmod} write it, e.g. 0644. */
    static String octal(Set<PosixFilePermission> permissions) {
        int mode = 0;
        for (PosixFilePermission permission : permissions) {
            // the enum runs OWNER_READ .. OTHERS_EXECUTE, i.e. from bit 8 down to bit 0
            mode |= 1 << (8 - permission.ordinal());
        }
        return String.format("%04o", mode);
    }

    /**
     * Writes the new key to a private temporary file, then links it into place: a process that starts at the same
     * moment either sees no file or the complete one, and of two racing creators exactly one wins.
     */
    private static void create(Path file, SecureRandom random) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        PrivateDirectories.create(dir);
        Path temporary = dir.resolve(file.getFileName() + "." + Long.toUnsignedString(random.nextLong(), 36) + ".tmp");
        byte[] bytes = new byte[KEY_BYTES];
        random.nextBytes(bytes);
        try {
            Files.createFile(temporary, ownerOnly(dir));
            try (OutputStream out = Files.newOutputStream(temporary, StandardOpenOption.WRITE,
                    StandardOpenOption.SYNC)) {
                out.write(bytes);
            }
            publish(temporary, file);
        } catch (FileAlreadyExistsException e) {
            // another process created it first: use theirs
        } finally {
            Arrays.fill(bytes, (byte) 0);
            Files.deleteIfExists(temporary);
        }
    }

    /** A hard link never replaces an existing file; where links are unsupported, a move that refuses to replace. */
    private static void publish(Path temporary, Path file) throws IOException {
        try {
            Files.createLink(file, temporary);
        } catch (FileAlreadyExistsException e) {
            throw e;
        } catch (UnsupportedOperationException | FileSystemException e) {
            Files.move(temporary, file);
        }
    }

    private static FileAttribute<?>[] ownerOnly(Path dir) {
        if (!dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[0];
        }
        return new FileAttribute<?>[] {
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))};
    }

    Path file() {
        return file;
    }

    /** Encrypts {@code plain}; the result must be decrypted with the same {@code associatedData}. */
    Sealed seal(byte[] plain, byte[] associatedData) {
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(associatedData);
            return new Sealed(iv, cipher.doFinal(plain));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM is not available: " + e.getMessage(), e);
        }
    }

    /** Decrypts; throws {@link GeneralSecurityException} (AEADBadTagException) when key or data do not match. */
    byte[] open(Sealed sealed, byte[] associatedData) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed.iv()));
        cipher.updateAAD(associatedData);
        return cipher.doFinal(sealed.ciphertext());
    }

    @Override
    public String toString() {
        return "MasterKey[" + file + "]";
    }

    /** An IV and the ciphertext with its GCM tag appended. */
    record Sealed(byte[] iv, byte[] ciphertext) {
        @Override
        public String toString() {
            return "Sealed[" + ciphertext.length + " bytes]";
        }
    }
}

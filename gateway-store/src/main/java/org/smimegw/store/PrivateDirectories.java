package org.smimegw.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Creates the store's directories readable by the owner only: they hold the database (kept original messages, the
 * audit log, encrypted keys) and the master key. A directory that already exists keeps the permissions the
 * operator gave it.
 */
final class PrivateDirectories {
    private PrivateDirectories() {
    }

    static void create(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Path absolute = dir.toAbsolutePath();
        if (absolute.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            FileAttribute<?> ownerOnly = PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------"));
            Files.createDirectories(absolute, ownerOnly);
        } else {
            Files.createDirectories(absolute);
        }
    }
}

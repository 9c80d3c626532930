package dev.skiff.kubelet.volumes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Upstream's hostPath type checks (pkg/volume/hostpath): {@code ""} checks nothing,
 * DirectoryOrCreate and FileOrCreate create what is missing (0755 directory, 0644 empty file),
 * Directory, File, Socket, CharDevice and BlockDevice require that kind of file to exist.
 */
final class HostPathType {

  private HostPathType() {}

  /** Checks (and for the OrCreate types makes) {@code path}; returns it. */
  static Path prepare(Path path, String type) throws VolumeError, IOException {
    if (!path.isAbsolute()) {
      throw new VolumeError("hostPath " + path + " must be absolute");
    }
    String t = type == null ? "" : type;
    switch (t) {
      case "" -> { }
      case "DirectoryOrCreate" -> {
        if (!Files.exists(path)) {
          Files.createDirectories(path);
          Files.setPosixFilePermissions(path, AtomicWriter.permissions(0755));
        } else if (!Files.isDirectory(path)) {
          throw new VolumeError("hostPath type check failed: " + path + " is not a directory");
        }
      }
      case "Directory" -> require(Files.isDirectory(path), path, "a directory");
      case "FileOrCreate" -> {
        if (!Files.exists(path)) {
          Files.createDirectories(path.getParent());
          Files.createFile(path);
          Files.setPosixFilePermissions(path, AtomicWriter.permissions(0644));
        } else if (!Files.isRegularFile(path)) {
          throw new VolumeError("hostPath type check failed: " + path + " is not a file");
        }
      }
      case "File" -> require(Files.isRegularFile(path), path, "a file");
      case "Socket" -> require(fileType(path).equals("socket"), path, "a socket");
      case "CharDevice" -> require(fileType(path).equals("character special file"), path, "a character device");
      case "BlockDevice" -> require(fileType(path).equals("block special file"), path, "a block device");
      default -> throw new VolumeError("unknown hostPath type " + t);
    }
    return path;
  }

  private static void require(boolean ok, Path path, String what) throws VolumeError {
    if (!ok) {
      throw new VolumeError("hostPath type check failed: " + path + " is not " + what);
    }
  }

  /** The kind of file as {@code stat -c %F} names it; Java has no portable test for sockets and devices. */
  private static String fileType(Path path) throws IOException {
    if (!Files.exists(path)) {
      return "";
    }
    Object mode = Files.getAttribute(path, "unix:mode");
    int format = ((Integer) mode) & 0170000;
    return switch (format) {
      case 0140000 -> "socket";
      case 0020000 -> "character special file";
      case 0060000 -> "block special file";
      default -> "other";
    };
  }
}

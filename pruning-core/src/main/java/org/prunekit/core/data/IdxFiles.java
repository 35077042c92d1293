package org.prunekit.core.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** Reads the raw contents of IDX files (big-endian header, unsigned bytes), gzip or plain. */
final class IdxFiles {
  /** Magic number of an IDX file of unsigned bytes with three dimensions (images). */
  static final int IMAGES_MAGIC = 0x00000803;
  /** Magic number of an IDX file of unsigned bytes with one dimension (labels). */
  static final int LABELS_MAGIC = 0x00000801;

  private IdxFiles() {}

  /** The dimensions and bytes of one IDX file. */
  record Contents(int[] dims, byte[] data) {}

  /**
   * Reads an IDX file whose magic must be {@code expectedMagic}.
   *
   * @throws IOException naming the file for a missing file, a wrong magic, bad dimensions, a
   *     truncated body or trailing bytes
   */
  static Contents read(Path file, int expectedMagic, String what) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException("IDX " + what + " file " + file + " does not exist");
    }
    try (InputStream raw = open(file);
        DataInputStream in = new DataInputStream(raw)) {
      int magic;
      try {
        magic = in.readInt();
      } catch (EOFException e) {
        throw new IOException("IDX " + what + " file " + file + " is shorter than its 4-byte magic number", e);
      }
      if (magic != expectedMagic) {
        throw new IOException(String.format(
            "IDX %s file %s has magic 0x%08X, expected 0x%08X (%s)", what, file, magic, expectedMagic,
            expectedMagic == IMAGES_MAGIC ? "unsigned bytes, 3 dimensions" : "unsigned bytes, 1 dimension"));
      }
      int rank = magic & 0xff;
      int[] dims = new int[rank];
      long total = 1;
      for (int i = 0; i < rank; i++) {
        try {
          dims[i] = in.readInt();
        } catch (EOFException e) {
          throw new IOException("IDX " + what + " file " + file + " ends inside its header (dimension " + i + ")", e);
        }
        if (dims[i] < 0 || (i > 0 && dims[i] == 0)) {
          throw new IOException("IDX " + what + " file " + file + " declares dimension " + i + " = " + dims[i]);
        }
        total *= dims[i];
      }
      if (total > Integer.MAX_VALUE - 8) {
        throw new IOException("IDX " + what + " file " + file + " declares " + total + " values, more than fit in memory");
      }
      byte[] data = new byte[(int) total];
      try {
        in.readFully(data);
      } catch (EOFException e) {
        throw new IOException("IDX " + what + " file " + file + " is truncated: header declares " + total + " values", e);
      }
      if (in.read() != -1) {
        throw new IOException(
            "IDX " + what + " file " + file + " has bytes after the " + total + " values its header declares");
      }
      return new Contents(dims, data);
    }
  }

  private static InputStream open(Path file) throws IOException {
    BufferedInputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    in.mark(2);
    int b0 = in.read();
    int b1 = in.read();
    in.reset();
    if (b0 == 0x1f && b1 == 0x8b) {
      return new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
    }
    return in;
  }
}

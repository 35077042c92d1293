package org.prunekit.core.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.prunekit.core.tensor.Tensor;

/**
 * Reads NumPy {@code .npz} archives ({@code numpy.savez} and {@code savez_compressed}): a zip of
 * {@code .npy} members, read with {@link java.util.zip.ZipFile}. Tensor names are the member
 * names without the {@code .npy} suffix ({@code arr_0}, or the keyword names given to savez).
 * Every member is parsed by {@link NpyReader}; members not ending in {@code .npy} are an error.
 */
public final class NpzReader {
  /** The largest member accepted (2 GiB, a Java array's limit). */
  static final long MAX_MEMBER_BYTES = Integer.MAX_VALUE - 8;

  private NpzReader() {}

  /**
   * Reads every array of an npz archive into memory, in archive order.
   *
   * @throws InvalidFormatException naming the archive and member at fault
   */
  public static TensorFile read(Path file) throws IOException {
    Map<String, Tensor> t = new LinkedHashMap<>();
    Map<String, String> d = new LinkedHashMap<>();
    ZipFile zip;
    try {
      zip = new ZipFile(file.toFile());
    } catch (ZipException e) {
      throw new InvalidFormatException(file + ": not a readable npz (zip) archive: " + e.getMessage(), e);
    }
    try (zip) {
      Enumeration<? extends ZipEntry> en = zip.entries();
      while (en.hasMoreElements()) {
        ZipEntry z = en.nextElement();
        if (z.isDirectory()) {
          continue;
        }
        String label = file + "!" + z.getName();
        if (!z.getName().endsWith(".npy")) {
          throw new InvalidFormatException(label + ": npz member is not a .npy file");
        }
        if (z.getSize() > MAX_MEMBER_BYTES) {
          throw new InvalidFormatException(label + ": member of " + z.getSize() + " bytes is too large");
        }
        byte[] content;
        try (InputStream in = zip.getInputStream(z)) {
          content = in.readNBytes((int) MAX_MEMBER_BYTES);
        } catch (ZipException e) {
          throw new InvalidFormatException(label + ": corrupted member: " + e.getMessage(), e);
        }
        String name = z.getName().substring(0, z.getName().length() - 4);
        NpyReader.Parsed p = NpyReader.parse(content, label);
        if (t.put(name, p.tensor()) != null) {
          throw new InvalidFormatException(label + ": duplicate member '" + name + "'");
        }
        d.put(name, p.descr());
      }
    }
    return new TensorFile(t, d, Map.of());
  }
}

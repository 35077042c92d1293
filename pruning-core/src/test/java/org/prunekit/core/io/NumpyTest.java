package org.prunekit.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.tensor.Tensor;

class NumpyTest {
  @TempDir Path tmp;

  /** An .npy file written by hand, the way NumPy lays it out. */
  static byte[] npy(int major, String header, byte[] data) {
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    int pre = major == 1 ? 10 : 12;
    ByteBuffer b = ByteBuffer.allocate(pre + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
    if (major == 1) {
      b.putShort((short) h.length);
    } else {
      b.putInt(h.length);
    }
    return b.put(h).put(data).array();
  }

  static byte[] f32(float... v) {
    ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float x : v) {
      b.putFloat(x);
    }
    return b.array();
  }

  @Test
  void readsV1Float32() throws IOException {
    String h = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
    h = h + " ".repeat(128 - 10 - h.length() - 1) + "\n"; // NumPy pads preamble + header to 64k bytes
    Tensor t = NpyReader.read(npy(1, h, f32(0, 1, 2, 3, 4, 5)), "a.npy");
    assertEquals(new Shape(2, 3), t.shape());
    assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, t.data());
  }

  @Test
  void readsV2AndV3AndScalarsAndOneDim() throws IOException {
    Tensor a = NpyReader.read(npy(2, "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }\n", f32(7, 8, 9)), "v2");
    assertEquals(new Shape(3), a.shape());
    assertArrayEquals(new float[] {7, 8, 9}, a.data());
    Tensor s = NpyReader.read(npy(3, "{'descr': '<f4', 'fortran_order': False, 'shape': (), }\n", f32(2.5f)), "v3");
    assertEquals(new Shape(), s.shape());
    assertArrayEquals(new float[] {2.5f}, s.data());
  }

  @Test
  void readsEveryDtype() throws IOException {
    ByteBuffer d = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putDouble(0.1).putDouble(-2);
    assertArrayEquals(new float[] {0.1f, -2f}, read("<f8", "(2,)", d.array()));
    ByteBuffer h = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putShort((short) 0x3555).putShort((short) 0xBC00);
    assertArrayEquals(new float[] {0.33325195f, -1f}, read("<f2", "(2,)", h.array()));
    ByteBuffer i = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(-5).putInt(1 << 20);
    assertArrayEquals(new float[] {-5f, 1 << 20}, read("<i4", "(2,)", i.array()));
    ByteBuffer l = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-9).putLong(123456789L);
    assertArrayEquals(new float[] {-9f, 123456792f}, read("<i8", "(2,)", l.array()));
    assertArrayEquals(new float[] {0f, 200f, 255f}, read("|u1", "(3,)", new byte[] {0, (byte) 200, (byte) 255}));
    assertArrayEquals(new float[] {0f, 1f, 1f}, read("|b1", "(3,)", new byte[] {0, 1, 1}));
  }

  private static float[] read(String descr, String shape, byte[] data) throws IOException {
    return NpyReader.read(npy(1, "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }\n", data),
        descr).data();
  }

  @Test
  void fortranOrderIsTransposedToRowMajor() throws IOException {
    // A = [[0,1,2],[3,4,5]] stored column-major: 0 3 1 4 2 5
    ByteBuffer b = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
    for (int v : new int[] {0, 3, 1, 4, 2, 5}) {
      b.putInt(v);
    }
    Tensor t = NpyReader.read(npy(1, "{'descr': '<i4', 'fortran_order': True, 'shape': (2, 3), }\n", b.array()), "f");
    assertEquals(new Shape(2, 3), t.shape());
    assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, t.data());
    // rank 3: element (i,j,k) of shape (2,2,2) stored at i + 2j + 4k
    float[] col = new float[8];
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < 2; j++) {
        for (int k = 0; k < 2; k++) {
          col[i + 2 * j + 4 * k] = 100 * i + 10 * j + k;
        }
      }
    }
    Tensor t3 = NpyReader.read(npy(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2, 2), }\n", f32(col)), "f3");
    assertArrayEquals(new float[] {0, 1, 10, 11, 100, 101, 110, 111}, t3.data());
  }

  @Test
  void rejectsBadFiles() {
    String ok = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }\n";
    assertTrue(bad(npy(1, ok, f32(1))).contains("truncated"));
    assertTrue(bad(npy(1, ok, f32(1, 2, 3))).contains("trailing"));
    assertTrue(bad(npy(1, ok.replace("<f4", ">f4"), f32(1, 2))).contains("'>f4'"));
    assertTrue(bad(npy(1, ok.replace("<f4", "<c8"), f32(1, 2))).contains("unsupported dtype"));
    assertTrue(bad(npy(4, ok, f32(1, 2))).contains("version 4"));
    assertTrue(bad(npy(1, "{'descr': '<f4', 'shape': (2,), }\n", f32(1, 2))).contains("fortran_order"));
    assertTrue(bad(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,\n", f32(1, 2))).contains("header"));
    byte[] magic = npy(1, ok, f32(1, 2));
    magic[1] = 'X';
    assertTrue(bad(magic).contains("magic"));
    byte[] longHeader = npy(1, ok, f32(1, 2));
    longHeader[8] = (byte) 0xff;
    assertTrue(bad(longHeader).contains("runs past"));
  }

  private static String bad(byte[] content) {
    return assertThrows(InvalidFormatException.class, () -> NpyReader.read(content, "x.npy")).getMessage();
  }

  @Test
  void writerRoundTripsAndMatchesNumpyLayout() throws IOException {
    Tensor w = Tensor.of(new float[] {1.5f, -0f, Float.NaN, 3e-39f, 7, 8}, 3, 2);
    byte[] bytes = NpyWriter.toBytesF32(w);
    assertEquals(0, (bytes.length - 24) % 64, "data starts at a multiple of 64");
    int hlen = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getShort(8);
    assertEquals(118, hlen);
    String header = new String(bytes, 10, hlen, StandardCharsets.ISO_8859_1);
    assertTrue(header.endsWith(" \n"));
    assertEquals("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 2), }", header.strip());
    assertTrue(NpyReader.read(bytes, "rt").bitEquals(w));
    Path p = tmp.resolve("m.npy");
    Tensor m = Tensor.of(new float[] {1, 0, 0, 1}, 4);
    NpyWriter.writeU8(p, m);
    assertTrue(new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1).contains("'shape': (4,)"));
    assertTrue(NpyReader.read(p).bitEquals(m));
    assertThrows(IllegalArgumentException.class, () -> NpyWriter.toBytesU8(Tensor.of(new float[] {2, -1}, 2)));
  }

  @Test
  void readsNpzStoredAndDeflated() throws IOException {
    Tensor a = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
    Tensor b = Tensor.of(new float[] {1, 0, 1}, 3);
    for (int method : new int[] {ZipEntry.STORED, ZipEntry.DEFLATED}) {
      Path z = tmp.resolve("a" + method + ".npz");
      try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(z))) {
        put(out, "weight.npy", NpyWriter.toBytesF32(a), method);
        put(out, "mask.npy", NpyWriter.toBytesU8(b), method);
      }
      TensorFile f = NpzReader.read(z);
      assertEquals(List.of("weight", "mask"), List.copyOf(f.names()));
      assertTrue(f.get("weight").bitEquals(a));
      assertTrue(f.get("mask").bitEquals(b));
      assertEquals("|u1", f.dtypes().get("mask"));
    }
  }

  @Test
  void npzErrorsNameTheMember() throws IOException {
    Path z = tmp.resolve("bad.npz");
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(z))) {
      byte[] cut = NpyWriter.toBytesF32(Tensor.of(new float[] {1, 2}, 2));
      put(out, "w.npy", Arrays.copyOf(cut, cut.length - 1), ZipEntry.DEFLATED);
    }
    String msg = assertThrows(InvalidFormatException.class, () -> NpzReader.read(z)).getMessage();
    assertTrue(msg.contains("w.npy") && msg.contains("truncated"), msg);
    Path notZip = tmp.resolve("x.npz");
    Files.write(notZip, new byte[] {1, 2, 3});
    assertThrows(InvalidFormatException.class, () -> NpzReader.read(notZip));
  }

  private static void put(ZipOutputStream out, String name, byte[] data, int method) throws IOException {
    ZipEntry e = new ZipEntry(name);
    e.setMethod(method);
    if (method == ZipEntry.STORED) {
      java.util.zip.CRC32 crc = new java.util.zip.CRC32();
      crc.update(data);
      e.setSize(data.length);
      e.setCompressedSize(data.length);
      e.setCrc(crc.getValue());
    }
    out.putNextEntry(e);
    out.write(data);
    out.closeEntry();
  }

}

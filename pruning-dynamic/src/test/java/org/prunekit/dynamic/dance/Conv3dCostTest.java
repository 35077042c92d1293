package org.prunekit.dynamic.dance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class Conv3dCostTest {
  // 3x3x3 input, 3x3x3 kernel, zero padding 1: per dimension the touch counts are 2, 3, 2 (sum 7).
  private static final Conv3dGeometry TOY = new Conv3dGeometry(2, 3, 3, 3, 2, 3, 3, 3, 1, 1, 1);

  private static boolean[] all(Conv3dGeometry g, boolean v) {
    boolean[] k = new boolean[(int) g.inputElements()];
    Arrays.fill(k, v);
    return k;
  }

  @Test
  void allKeptRatioIsExactlyOne() {
    assertEquals(1.0, Conv3dCost.ratio(TOY, all(TOY, true)), 0.0);
    Conv3dGeometry big = new Conv3dGeometry(4, 8, 16, 16, 8, 3, 3, 3, 1, 1, 1);
    assertEquals(1.0, Conv3dCost.ratio(big, all(big, true)), 0.0);
    assertEquals(0.0, Conv3dCost.ratio(big, all(big, false)), 0.0);
  }

  @Test
  void toyCountsByHand() {
    // all kept: C_out * C_in * 7^3 = 2 * 2 * 343; the padded dense formula is 2*27*2*27 = 2916.
    assertEquals(1372, Conv3dCost.allKept(TOY).macs());
    assertEquals(2916, Conv3dCost.dense(TOY).macs());
    // Dropping input channel 1 removes C_out*T_out*H_out*W_out*kT*kH*kW = 2*27*27 = 1458 minus the
    // edge corrections 1458 - 2*343 = 772, i.e. exactly 686.
    boolean[] keep = all(TOY, true);
    Arrays.fill(keep, 27, 54, false);
    Conv3dCost.Counts c = Conv3dCost.exact(TOY, keep, false);
    assertEquals(1372 - 686, c.macs());
    assertEquals(27, c.activationReads());
    assertEquals(2 * 1 * 27, c.weightReads()); // channel 1's weights never fetched
    assertEquals(2 * 27, c.outputWrites());
    // A single corner element touches 2*2*2 outputs per output channel, the centre one 27.
    boolean[] corner = all(TOY, false);
    corner[0] = true;
    assertEquals(2 * 8, Conv3dCost.exact(TOY, corner, false).macs());
    boolean[] centre = all(TOY, false);
    centre[13] = true;
    assertEquals(2 * 27, Conv3dCost.exact(TOY, centre, true).macs());
    assertEquals(7, Conv3dCost.exact(TOY, centre, true).bitmapBytes()); // ceil(54 / 8)
  }

  @Test
  void withoutPaddingAllKeptEqualsDenseFormula() {
    Conv3dGeometry g = new Conv3dGeometry(3, 5, 6, 7, 4, 3, 3, 3, 0, 0, 0);
    assertEquals(Conv3dCost.dense(g).macs(), Conv3dCost.allKept(g).macs());
  }

  @Test
  void outputFramesWhoseReceptiveFieldIsDroppedAreNotWritten() {
    Conv3dGeometry g = new Conv3dGeometry(1, 8, 2, 2, 1, 3, 1, 1, 1, 0, 0);
    boolean[] keep = all(g, false);
    keep[0] = true; // frame 0, element (0,0): output frames 0 and 1 need writing
    Conv3dCost.Counts c = Conv3dCost.exact(g, keep, false);
    assertEquals(2, c.macs());
    assertEquals(2 * 4, c.outputWrites());
  }

  @Test
  void badMaskOrGeometryIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> Conv3dCost.exact(TOY, new boolean[5], false));
    assertThrows(IllegalArgumentException.class, () -> new Conv3dGeometry(0, 3, 3, 3, 2, 3, 3, 3, 1, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> new Conv3dGeometry(1, 2, 3, 3, 2, 5, 3, 3, 0, 1, 1));
  }
}

package org.prunekit.core.exec;

import ai.djl.engine.Engine;
import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns PyTorch's oneDNN (MKL-DNN) convolution path off for this process, the equivalent of Python's
 * {@code torch.backends.mkldnn.enabled = False}; convolutions then run on ATen's own CPU kernels.
 *
 * <p>Why: with the bundled libtorch 2.7.1 (oneDNN 3.7.1) on an AVX-512 CPU, the convolution
 * backward pass returns NaN gradients for some channel counts that structural pruning produces (for
 * example a 5x5 convolution with 12 output channels; 8 and 16 are fine), sporadically with several
 * threads and on every call with one. Forward passes are not affected. DJL 0.36 exposes no switch, so
 * this calls {@code at::globalContext().setUserEnabledMkldnn(false)} in the already loaded {@code
 * libtorch_cpu.so} through JNA. Linux only (it finds the library in {@code /proc/self/maps}).
 */
public final class OneDnnSwitch {
  private static final Logger LOG = LoggerFactory.getLogger(OneDnnSwitch.class);

  private OneDnnSwitch() {}

  /**
   * Disables oneDNN convolutions in the PyTorch engine.
   *
   * @return true when oneDNN is now off; false when libtorch or its symbols were not found (logged)
   */
  public static synchronized boolean disable() {
    return set(false);
  }

  /**
   * Turns oneDNN convolutions back on (PyTorch's default), e.g. after a fine-tune that needed them
   * off, so that inference runs on the usual kernels again.
   *
   * @return true when oneDNN is now on; false when libtorch or its symbols were not found (logged)
   */
  public static synchronized boolean enable() {
    return set(true);
  }

  private static boolean set(boolean on) {
    Engine.getEngine(GraphExecutor.ENGINE); // make sure libtorch is loaded
    Optional<Path> lib = loadedLibrary("libtorch_cpu.so");
    if (lib.isEmpty()) {
      LOG.warn("libtorch_cpu.so is not mapped in this process; oneDNN setting unchanged");
      return false;
    }
    try {
      NativeLibrary torch = NativeLibrary.getInstance(lib.get().toString());
      Pointer context = torch.getFunction("_ZN2at13globalContextEv").invokePointer(new Object[0]);
      torch.getFunction("_ZN2at7Context20setUserEnabledMkldnnEb").invokeVoid(new Object[] {context, (byte) (on ? 1 : 0)});
      Function enabled = torch.getFunction("_ZNK2at7Context17userEnabledMkldnnEv");
      boolean isOn = (enabled.invokeInt(new Object[] {context}) & 0xff) != 0;
      LOG.info("oneDNN convolutions {} in {}", isOn ? "enabled" : "disabled", lib.get());
      return isOn == on;
    } catch (UnsatisfiedLinkError e) {
      LOG.warn("cannot switch oneDNN {} in {}: {}", on ? "on" : "off", lib.get(), e.getMessage());
      return false;
    }
  }

  private static Optional<Path> loadedLibrary(String name) {
    try {
      return Files.readAllLines(Path.of("/proc/self/maps")).stream()
          .map(l -> l.substring(l.indexOf('/') < 0 ? l.length() : l.indexOf('/')).trim())
          .filter(p -> p.endsWith("/" + name))
          .findFirst()
          .map(Path::of);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}

package org.prunekit.core.exec;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.InputSpec;
import org.prunekit.core.graph.Node;
import org.prunekit.core.graph.Shape;

/**
 * Runs a {@link Graph} node by node on the DJL engine of its input arrays. The single execution
 * path used by inference ({@link GraphExecutor}) and training ({@code GraphBlock}).
 *
 * <p>Memory: every intermediate array is closed as soon as no later node and no graph output
 * reads it, so peak memory follows the graph's live set, not its size. The caller's input arrays
 * are never closed; the returned outputs are new arrays in the first input's manager, owned by
 * the caller. On an exception every intermediate created so far is closed before it propagates.
 *
 * <p>Hooks: for every node, each hook's {@link ExecutionHook#onInputs} runs (in list order)
 * before the node, and each hook's {@link ExecutionHook#onOutput} after it, each seeing the array
 * the previous hook returned. A returned array replaces the output for every consumer and passes
 * to the execution (it will be closed when no longer needed); the replaced array is closed. A hook
 * may return an array that is already a value of the run (e.g. the node's input, to skip a block):
 * such aliases are closed only once no name refers to them. Hooks must not change arrays in place,
 * since outputs of reshapes share storage with their inputs.
 */
public final class GraphInterpreter {
  private GraphInterpreter() {}

  /**
   * Runs the graph.
   *
   * @param graph the graph
   * @param inputs one array per graph input, in {@link Graph#inputs()} order
   * @param params where parameter arrays come from
   * @param hooks hooks called for every node, in list order ({@code null} for none)
   * @param training whether dropout and batch-norm run in training mode
   * @return one array per graph output, in {@link Graph#outputs()} order
   * @throws IllegalArgumentException naming the input whose count, type or shape does not fit the
   *     graph's {@link InputSpec}s, or the node that failed
   */
  public static NDList run(
      Graph graph, NDList inputs, ParameterSource params, List<ExecutionHook> hooks, boolean training) {
    Objects.requireNonNull(graph, "graph");
    Objects.requireNonNull(params, "params");
    validateInputs(graph, Objects.requireNonNull(inputs, "inputs"));
    List<ExecutionHook> hookList = hooks == null ? List.of() : hooks;
    List<Node> nodes = graph.nodes();
    Map<String, Integer> lastUse = new HashMap<>();
    for (int j = 0; j < nodes.size(); j++) {
      for (String in : nodes.get(j).inputs()) {
        lastUse.put(in, j);
      }
    }
    for (String out : graph.outputs()) {
      lastUse.put(out, Integer.MAX_VALUE);
    }
    Set<NDArray> callerOwned = Collections.newSetFromMap(new IdentityHashMap<>());
    callerOwned.addAll(inputs);
    Map<String, NDArray> values = new HashMap<>();
    for (int i = 0; i < inputs.size(); i++) {
      values.put(graph.inputs().get(i).name(), inputs.get(i));
    }
    try {
      for (int j = 0; j < nodes.size(); j++) {
        Node node = nodes.get(j);
        List<NDArray> ins = new ArrayList<>(node.inputs().size());
        for (String name : node.inputs()) {
          ins.add(values.get(name));
        }
        if (!hookList.isEmpty()) {
          NDList view = new NDList(ins);
          for (ExecutionHook h : hookList) {
            h.onInputs(node, view);
          }
        }
        NDArray out = OpKernels.forward(node, ins, params, training);
        values.put(node.name(), out);
        for (ExecutionHook h : hookList) {
          NDArray replaced = h.onOutput(node, out);
          if (replaced == null) {
            throw new IllegalStateException("hook " + h + " returned null for node '" + node.name() + "'");
          }
          if (replaced != out) {
            values.put(node.name(), replaced);
            closeIfUnreferenced(out, values, callerOwned);
            out = replaced;
          }
        }
        if (!lastUse.containsKey(node.name())) {
          release(node.name(), values, callerOwned);
        }
        for (String name : node.inputs()) {
          if (lastUse.get(name) == j) {
            release(name, values, callerOwned);
          }
        }
      }
      NDList outputs = new NDList(graph.outputs().size());
      Set<NDArray> returned = Collections.newSetFromMap(new IdentityHashMap<>());
      for (String name : graph.outputs()) {
        NDArray a = values.get(name);
        // An output must be the caller's own array exactly once and never one of its inputs.
        outputs.add(callerOwned.contains(a) || !returned.add(a) ? a.duplicate() : a);
      }
      return outputs;
    } catch (RuntimeException | Error e) {
      Set<NDArray> closed = Collections.newSetFromMap(new IdentityHashMap<>());
      for (NDArray a : values.values()) {
        if (!callerOwned.contains(a) && closed.add(a)) {
          a.close();
        }
      }
      throw e;
    }
  }

  private static void release(String name, Map<String, NDArray> values, Set<NDArray> callerOwned) {
    NDArray a = values.remove(name);
    if (a != null) {
      closeIfUnreferenced(a, values, callerOwned);
    }
  }

  private static void closeIfUnreferenced(NDArray a, Map<String, NDArray> values, Set<NDArray> callerOwned) {
    if (callerOwned.contains(a)) {
      return;
    }
    for (NDArray v : values.values()) {
      if (v == a) {
        return;
      }
    }
    a.close();
  }

  /**
   * Checks count, type and per-sample shape of the inputs against the graph's {@link InputSpec}s.
   *
   * @throws IllegalArgumentException naming the input at fault
   */
  static void validateInputs(Graph graph, NDList inputs) {
    List<InputSpec> specs = graph.inputs();
    if (inputs.size() != specs.size()) {
      List<String> names = new ArrayList<>();
      for (InputSpec s : specs) {
        names.add(s.name());
      }
      throw new IllegalArgumentException("graph takes " + specs.size() + " input(s) " + names + ", got " + inputs.size());
    }
    for (int i = 0; i < specs.size(); i++) {
      InputSpec spec = specs.get(i);
      NDArray a = inputs.get(i);
      Shape got = Shape.ofLongs(a.getShape().getShape());
      Shape sample = spec.sampleShape();
      if (got.rank() != sample.rank() + 1 || !got.dropFirst().equals(sample)) {
        StringBuilder want = new StringBuilder("[batch");
        for (int d : sample.dims()) {
          want.append(", ").append(d);
        }
        throw new IllegalArgumentException(
            "graph input '" + spec.name() + "' expects shape " + want + "], got " + got);
      }
      if (a.getDataType() != DataType.FLOAT32) {
        throw new IllegalArgumentException(
            "graph input '" + spec.name() + "' must be float32 (token ids as whole floats), got " + a.getDataType());
      }
    }
  }
}

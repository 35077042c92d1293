package org.prunekit.core.io.onnx;

import java.util.HashMap;
import java.util.Map;
import onnx.Onnx.AttributeProto;
import onnx.Onnx.NodeProto;

/** Typed access to a node's attributes, with errors naming the node. */
final class OnnxAttributes {
  private final String where;
  private final Map<String, AttributeProto> byName = new HashMap<>();

  OnnxAttributes(NodeProto node, String where) {
    this.where = where;
    for (AttributeProto a : node.getAttributeList()) {
      byName.put(a.getName(), a);
    }
  }

  boolean has(String name) {
    return byName.containsKey(name);
  }

  long getInt(String name, long dflt) {
    AttributeProto a = byName.get(name);
    if (a == null) {
      return dflt;
    }
    require(a, AttributeProto.AttributeType.INT);
    return a.getI();
  }

  float getFloat(String name, float dflt) {
    AttributeProto a = byName.get(name);
    if (a == null) {
      return dflt;
    }
    require(a, AttributeProto.AttributeType.FLOAT);
    return a.getF();
  }

  String getString(String name, String dflt) {
    AttributeProto a = byName.get(name);
    if (a == null) {
      return dflt;
    }
    require(a, AttributeProto.AttributeType.STRING);
    return a.getS().toStringUtf8();
  }

  /** The INTS attribute as ints, or {@code null} when absent. */
  int[] getInts(String name) {
    AttributeProto a = byName.get(name);
    if (a == null) {
      return null;
    }
    require(a, AttributeProto.AttributeType.INTS);
    int[] v = new int[a.getIntsCount()];
    for (int i = 0; i < v.length; i++) {
      v[i] = Math.toIntExact(a.getInts(i));
    }
    return v;
  }

  AttributeProto get(String name) {
    return byName.get(name);
  }

  private void require(AttributeProto a, AttributeProto.AttributeType type) {
    if (a.getType() != type && a.getType() != AttributeProto.AttributeType.UNDEFINED) {
      throw new OnnxModelException(where + ": attribute '" + a.getName() + "' has type " + a.getType() + ", expected " + type);
    }
  }
}

/**
 * ONNX import ({@link org.prunekit.core.io.onnx.OnnxImporter}) and export ({@link
 * org.prunekit.core.io.onnx.OnnxExporter}) for CNN and MLP classifiers, using the ONNX protobuf
 * classes shipped in nd4j-api (package {@code onnx}). Weights are converted between the ONNX
 * layouts and the graph's ({@code OI} linear weights, {@code OIHW} kernels).
 */
package org.prunekit.core.io.onnx;

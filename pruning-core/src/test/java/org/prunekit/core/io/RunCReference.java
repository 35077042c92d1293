package org.prunekit.core.io;

/**
 * A line-by-line Java transcription of llama2.c {@code run.c} {@code forward()} (kv cache,
 * position by position), independent of the graph and the engine, as a test oracle.
 */
final class RunCReference {
  private RunCReference() {}

  static float[][] forward(Llama2cConfig p, float[] w, int[] tokens) {
    int dim = p.dim();
    int hidden = p.hiddenDim();
    int hs = p.headSize();
    int kvDim = p.kvDim();
    int kvMul = p.heads() / p.kvHeads();
    int nl = p.layers();
    int off = 0;
    int emb = off;
    off += p.vocabSize() * dim;
    int rmsAtt = off;
    off += nl * dim;
    int wq = off;
    off += nl * dim * dim;
    int wk = off;
    off += nl * dim * kvDim;
    int wv = off;
    off += nl * dim * kvDim;
    int wo = off;
    off += nl * dim * dim;
    int rmsFfn = off;
    off += nl * dim;
    int w1 = off;
    off += nl * dim * hidden;
    int w2 = off;
    off += nl * dim * hidden;
    int w3 = off;
    off += nl * dim * hidden;
    int rmsFinal = off;
    int seq = tokens.length;
    float[][][] keyCache = new float[nl][seq][kvDim];
    float[][][] valueCache = new float[nl][seq][kvDim];
    float[][] out = new float[seq][];
    for (int pos = 0; pos < seq; pos++) {
      float[] x = new float[dim];
      System.arraycopy(w, emb + tokens[pos] * dim, x, 0, dim);
      for (int l = 0; l < nl; l++) {
        float[] xb = rmsnorm(x, w, rmsAtt + l * dim);
        float[] q = matmul(xb, w, wq + l * dim * dim, dim, dim);
        float[] k = matmul(xb, w, wk + l * dim * kvDim, dim, kvDim);
        float[] v = matmul(xb, w, wv + l * dim * kvDim, dim, kvDim);
        for (int i = 0; i < dim; i += 2) {
          int headDim = i % hs;
          float freq = 1.0f / (float) Math.pow(10000.0f, headDim / (float) hs);
          float val = pos * freq;
          float fcr = (float) Math.cos(val);
          float fci = (float) Math.sin(val);
          int rotn = i < kvDim ? 2 : 1;
          for (int r = 0; r < rotn; r++) {
            float[] vec = r == 0 ? q : k;
            float v0 = vec[i];
            float v1 = vec[i + 1];
            vec[i] = v0 * fcr - v1 * fci;
            vec[i + 1] = v0 * fci + v1 * fcr;
          }
        }
        keyCache[l][pos] = k;
        valueCache[l][pos] = v;
        float[] att = new float[dim];
        for (int h = 0; h < p.heads(); h++) {
          float[] score = new float[pos + 1];
          for (int t = 0; t <= pos; t++) {
            float s = 0;
            for (int i = 0; i < hs; i++) {
              s += q[h * hs + i] * keyCache[l][t][(h / kvMul) * hs + i];
            }
            score[t] = s / (float) Math.sqrt(hs);
          }
          softmax(score);
          for (int t = 0; t <= pos; t++) {
            for (int i = 0; i < hs; i++) {
              att[h * hs + i] += score[t] * valueCache[l][t][(h / kvMul) * hs + i];
            }
          }
        }
        float[] o = matmul(att, w, wo + l * dim * dim, dim, dim);
        for (int i = 0; i < dim; i++) {
          x[i] += o[i];
        }
        xb = rmsnorm(x, w, rmsFfn + l * dim);
        float[] hb = matmul(xb, w, w1 + l * dim * hidden, dim, hidden);
        float[] hb2 = matmul(xb, w, w3 + l * dim * hidden, dim, hidden);
        for (int i = 0; i < hidden; i++) {
          float val = hb[i];
          val *= (1.0f / (1.0f + (float) Math.exp(-val)));
          hb[i] = val * hb2[i];
        }
        float[] f = matmul(hb, w, w2 + l * dim * hidden, hidden, dim);
        for (int i = 0; i < dim; i++) {
          x[i] += f[i];
        }
      }
      x = rmsnorm(x, w, rmsFinal);
      out[pos] = matmul(x, w, emb, dim, p.vocabSize());
    }
    return out;
  }

  /** W (d,n) @ x (n,) -> (d,), W at offset. */
  private static float[] matmul(float[] x, float[] w, int off, int n, int d) {
    float[] o = new float[d];
    for (int i = 0; i < d; i++) {
      float val = 0;
      for (int j = 0; j < n; j++) {
        val += w[off + i * n + j] * x[j];
      }
      o[i] = val;
    }
    return o;
  }

  private static float[] rmsnorm(float[] x, float[] w, int off) {
    float ss = 0;
    for (float v : x) {
      ss += v * v;
    }
    ss /= x.length;
    ss += 1e-5f;
    ss = 1.0f / (float) Math.sqrt(ss);
    float[] o = new float[x.length];
    for (int j = 0; j < x.length; j++) {
      o[j] = w[off + j] * (ss * x[j]);
    }
    return o;
  }

  private static void softmax(float[] x) {
    float max = x[0];
    for (float v : x) {
      max = Math.max(max, v);
    }
    float sum = 0;
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) Math.exp(x[i] - max);
      sum += x[i];
    }
    for (int i = 0; i < x.length; i++) {
      x[i] /= sum;
    }
  }
}

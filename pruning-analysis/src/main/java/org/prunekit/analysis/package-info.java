/**
 * Tools that judge or plan pruning rather than perform it: behavioural-similarity certificates
 * (SimCert), interpretability metrics of sparse models (IMPACT) and the joint routing-and-pruning
 * planner for decentralised federated learning (D-FL).
 */
package org.prunekit.analysis;

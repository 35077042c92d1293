/** Magnitude pruning (spec B1): the unstructured {@code |w|} criterion and structured row norms. */
package org.prunekit.criteria.magnitude;

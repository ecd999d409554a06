/** What the learners see: numeric descriptors of task, node and plan, and an embedding of a textual description. */
package dev.metaserve.selector.features;

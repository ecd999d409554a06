/** The models a node serves, run in-process on ONNX Runtime; plain Java with no framework and no configuration reading. */
package dev.metaserve.models;

/** JMH microbenchmarks of code on the request path, run in-process (the selector's decision time). */
package dev.metaserve.bench.jmh;

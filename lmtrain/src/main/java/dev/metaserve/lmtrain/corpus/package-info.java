/** Training text: fetches Debian packages, unpacks them and turns their contents into plain-text corpora. */
package dev.metaserve.lmtrain.corpus;

/**
 * Grids of cells (datasets x models x attacks x frame policies x rates x seeds), running them resumably, one process per cell if asked, and the results store.
 *
 * <p>Uses {@code defense} and everything below it; forks {@code CellMain}, never the command line.
 */
package org.videobackdoor.experiment;

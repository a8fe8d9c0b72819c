/**
 * The paper's tables and figures from the results store's rows, rendered as Markdown and HTML with charts.
 *
 * <p>Uses {@code defense}, {@code run} and the packages below them; reads results, never trains.
 */
package org.videobackdoor.report;

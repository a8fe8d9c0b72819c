package org.videobackdoor.report;

import java.util.List;

/** Turns the report's blocks into one document format. */
public interface Renderer {
    String render(List<Block> blocks);
}

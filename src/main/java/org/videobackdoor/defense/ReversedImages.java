package org.videobackdoor.defense;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

import org.videobackdoor.util.AtomicFiles;

/** Neural Cleanse's reversed triggers as a picture: per class its mask (grey) and mask × pattern, flagged ones framed red. */
final class ReversedImages {
    private static final int SCALE = 3;

    private ReversedImages() {
    }

    static void write(Path file, List<NeuralCleanse.Reversed> found, List<Integer> flagged) throws IOException {
        if (found.isEmpty()) {
            return;
        }
        int h = found.get(0).height();
        int w = found.get(0).width();
        int cell = w * SCALE + 8;
        BufferedImage img = new BufferedImage(found.size() * cell, 2 * (h * SCALE + 8) + 14, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        for (int k = 0; k < found.size(); k++) {
            NeuralCleanse.Reversed r = found.get(k);
            int x0 = k * cell + 4;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float m = r.mask()[y * w + x];
                    int grey = Math.round(255 * m);
                    int[] rgb = new int[3];
                    for (int c = 0; c < 3; c++) {
                        rgb[c] = Math.round(255 * m * r.pattern()[c * h * w + y * w + x]);
                    }
                    for (int dy = 0; dy < SCALE; dy++) {
                        for (int dx = 0; dx < SCALE; dx++) {
                            img.setRGB(x0 + x * SCALE + dx, 4 + y * SCALE + dy, new Color(grey, grey, grey).getRGB());
                            img.setRGB(x0 + x * SCALE + dx, h * SCALE + 12 + y * SCALE + dy, new Color(rgb[0], rgb[1], rgb[2]).getRGB());
                        }
                    }
                }
            }
            g.setColor(flagged.contains(r.label()) ? Color.RED : Color.BLACK);
            g.drawString("class " + r.label() + (flagged.contains(r.label()) ? " flagged" : ""), x0, img.getHeight() - 3);
            if (flagged.contains(r.label())) {
                g.drawRect(x0 - 2, 2, w * SCALE + 3, 2 * h * SCALE + 12);
            }
        }
        g.dispose();
        AtomicFiles.write(file, o -> ImageIO.write(img, "png", o));
    }
}

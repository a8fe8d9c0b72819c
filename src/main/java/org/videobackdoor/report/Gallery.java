package org.videobackdoor.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

import org.videobackdoor.attack.Trigger;
import org.videobackdoor.util.AtomicFiles;
import org.videobackdoor.video.Clip;

/**
 * The paper's pictures of triggers: Figure 3 (every attack on the same frame, with the difference to the clean
 * frame amplified to full range, gain written under it) and Figure 2 (a strip of frames over time, static
 * against dynamic). Frames are enlarged with nearest-neighbour so single pixels stay visible.
 */
public final class Gallery {
    private static final int LABEL = 16;

    private Gallery() {
    }

    /** Figure 3: columns = clean + each trigger; rows = frame, amplified |difference|. */
    public static void attacksOnOneFrame(Clip clip, int frame, List<Trigger> triggers, int scale, Path out) throws IOException {
        int w = clip.width() * scale;
        int h = clip.height() * scale;
        int cols = triggers.size() + 1;
        BufferedImage img = new BufferedImage(cols * (w + 4), 2 * (h + LABEL) + 4, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(img);
        int fb = clip.frameBytes();
        draw(img, clip.frames(), frame * fb, clip.height(), clip.width(), scale, 0, LABEL, 1);
        label(g, "clean", 0, LABEL - 4);
        for (int i = 0; i < triggers.size(); i++) {
            Trigger t = triggers.get(i);
            Clip p = t.apply(clip, all(clip.numFrames()), 0);
            int x0 = (i + 1) * (w + 4);
            draw(img, p.frames(), frame * fb, clip.height(), clip.width(), scale, x0, LABEL, 1);
            label(g, t.name() + (t.extension() == Trigger.Extension.DYNAMIC ? " dyn" : ""), x0, LABEL - 4);
            byte[] diff = new byte[fb];
            int max = 0;
            for (int k = 0; k < fb; k++) {
                int d = Math.abs((p.frames()[frame * fb + k] & 0xFF) - (clip.frames()[frame * fb + k] & 0xFF));
                max = Math.max(max, d);
                diff[k] = (byte) d;
            }
            int gain = max == 0 ? 1 : Math.max(1, 255 / max);
            draw(img, diff, 0, clip.height(), clip.width(), scale, x0, 2 * LABEL + h, gain);
            label(g, max == 0 ? "no change" : "|diff| x" + gain, x0, 2 * LABEL + h - 4);
        }
        g.dispose();
        write(img, out);
    }

    /** Figure 2: one row per trigger (and a clean row), {@code frames} consecutive frames each. */
    public static void strips(Clip clip, List<Trigger> triggers, int frames, int scale, Path out) throws IOException {
        int n = Math.min(frames, clip.numFrames());
        int w = clip.width() * scale;
        int h = clip.height() * scale;
        int labelW = 110;
        BufferedImage img = new BufferedImage(labelW + n * (w + 2), (triggers.size() + 1) * (h + 4), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(img);
        int fb = clip.frameBytes();
        for (int r = 0; r <= triggers.size(); r++) {
            Clip c = r == 0 ? clip : triggers.get(r - 1).apply(clip, all(clip.numFrames()), 0);
            String name = r == 0 ? "clean" : triggers.get(r - 1).name() + " " + triggers.get(r - 1).extension().id();
            label(g, name, 4, r * (h + 4) + h / 2);
            for (int f = 0; f < n; f++) {
                draw(img, c.frames(), f * fb, clip.height(), clip.width(), scale, labelW + f * (w + 2), r * (h + 4), 1);
            }
        }
        g.dispose();
        write(img, out);
    }

    private static int[] all(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }

    private static Graphics2D canvas(BufferedImage img) {
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        return g;
    }

    private static void label(Graphics2D g, String s, int x, int y) {
        g.drawString(s, x + 2, y);
    }

    private static void draw(BufferedImage img, byte[] px, int off, int fh, int fw, int scale, int x0, int y0, int gain) {
        for (int y = 0; y < fh * scale; y++) {
            for (int x = 0; x < fw * scale; x++) {
                int i = off + ((y / scale) * fw + x / scale) * 3;
                int r = Math.min(255, (px[i] & 0xFF) * gain);
                int gg = Math.min(255, (px[i + 1] & 0xFF) * gain);
                int b = Math.min(255, (px[i + 2] & 0xFF) * gain);
                img.setRGB(x0 + x, y0 + y, (r << 16) | (gg << 8) | b);
            }
        }
    }

    private static void write(BufferedImage img, Path out) throws IOException {
        AtomicFiles.write(out, o -> ImageIO.write(img, "png", o));
    }
}

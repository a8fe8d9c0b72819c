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
import org.videobackdoor.audio.LogMel;
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

    /**
     * Figure 7: the clip's clean log-mel spectrogram (the audio network's input), then each audio trigger's spectrogram
     * followed by its absolute difference from the clean one (amplified to its own maximum, stated in the label).
     * Low frequencies at the bottom; colour from black (ln 1e-6, silence) to yellow (the clip's loudest band).
     */
    public static void spectrograms(Clip clip, List<Trigger> audioTriggers, int scale, Path out) throws IOException {
        LogMel lm = LogMel.standard();
        if (!clip.hasAudio()) {
            throw new IllegalArgumentException("the clip has no sound track to draw");
        }
        float[] clean = lm.compute(clip.audio(), clip.sampleRate());
        int bands = lm.bands();
        int frames = lm.frames();
        int panelH = bands * scale;
        int rowH = panelH + LABEL;
        int panels = 1 + 2 * audioTriggers.size();
        BufferedImage img = new BufferedImage(frames * scale + 4, panels * rowH + 4, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(img);
        float lo = (float) Math.log(LogMel.FLOOR);
        float hi = lo + 1;
        for (float v : clean) {
            hi = Math.max(hi, v);
        }
        int y = 0;
        label(g, "clean log-mel (80 bands x 256 frames)", 0, y + LABEL - 4);
        heat(img, clean, bands, frames, scale, 2, y + LABEL, lo, hi);
        y += rowH;
        for (Trigger t : audioTriggers) {
            float[] att = lm.compute(t.apply(clip, new int[0], 1).audio(), clip.sampleRate());
            float[] diff = new float[att.length];
            float max = 1e-6f;
            for (int i2 = 0; i2 < att.length; i2++) {
                diff[i2] = Math.abs(att[i2] - clean[i2]);
                max = Math.max(max, diff[i2]);
            }
            label(g, t.name() + " " + t.params(), 0, y + LABEL - 4);
            heat(img, att, bands, frames, scale, 2, y + LABEL, lo, hi);
            y += rowH;
            label(g, String.format(java.util.Locale.ROOT, "|%s - clean|, black 0 to yellow %.2f (ln units)", t.name(), max), 0, y + LABEL - 4);
            heat(img, diff, bands, frames, scale, 2, y + LABEL, 0, max);
            y += rowH;
        }
        g.dispose();
        write(img, out);
    }

    /** A band-major bands x frames map as a heat map (low bands at the bottom), lo..hi from black through red to yellow. */
    private static void heat(BufferedImage img, float[] v, int bands, int frames, int scale, int x0, int y0, float lo, float hi) {
        for (int b = 0; b < bands; b++) {
            for (int t = 0; t < frames; t++) {
                float u = Math.max(0, Math.min(1, (v[b * frames + t] - lo) / (hi - lo)));
                int r = (int) (255 * Math.min(1, 2 * u));
                int gr = (int) (255 * Math.max(0, 2 * u - 1));
                int bl = (int) (96 * Math.max(0, 1 - 2 * Math.abs(u - 0.25) * 2));
                int rgb = (r << 16) | (gr << 8) | bl;
                for (int dy = 0; dy < scale; dy++) {
                    for (int dx = 0; dx < scale; dx++) {
                        img.setRGB(x0 + t * scale + dx, y0 + (bands - 1 - b) * scale + dy, rgb);
                    }
                }
            }
        }
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

package org.videobackdoor.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetsTest {
    @TempDir
    Path dir;

    private Path touch(String rel) throws Exception {
        Path p = dir.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, "x");
        return p;
    }

    /** A layout of one's own: one class and one registration make {@code dataset.type} pick it; names stay unique. */
    @Test
    void aRegisteredLayoutIsPickedByItsTypeAndNamesStayUnique() throws Exception {
        Path v = touch("flat/a.avi");
        DatasetLayout oneVideo = new DatasetLayout() {
            @Override
            public String name() {
                return "one-video-test-layout";
            }

            @Override
            public List<String> aliases() {
                return List.of("ovtl");
            }

            @Override
            public VideoDataset read(DatasetConfig c, Path root) {
                VideoSample s = new VideoSample(root.resolve("a.avi"), 0, "train");
                return new VideoDataset(name(), List.of("only"), List.of(s), List.of(new VideoSample(s.path(), 0, "test")), List.of());
            }
        };
        Datasets.register(oneVideo);
        try {
            pickedByType(oneVideo, v);
        } finally {
            Datasets.unregister("one-video-test-layout");
        }
        assertThat(Datasets.names()).containsExactly("ucf101", "hmdb51", "kinetics", "videolist", "rawframes");
    }

    private static void pickedByType(DatasetLayout oneVideo, Path v) {
        DatasetConfig c = new DatasetConfig();
        c.type = "OVTL";
        c.root = v.getParent().toString();
        assertThat(Datasets.load(c).train()).extracting(VideoSample::path).containsExactly(v);
        assertThat(Datasets.names()).startsWith("ucf101", "hmdb51", "kinetics", "videolist").contains("one-video-test-layout");
        assertThatThrownBy(() -> Datasets.register(oneVideo)).hasMessageContaining("already registered");
        c.type = "ucf-102";
        assertThatThrownBy(() -> Datasets.load(c)).hasMessage("unknown dataset type 'ucf-102' (" + String.join(", ", Datasets.names()) + ")");
    }

    @Test
    void ucf101SplitsAndMissingVideoReportedOrStrict() throws Exception {
        touch("UCF-101/ApplyEyeMakeup/v_ApplyEyeMakeup_g08_c01.avi");
        touch("UCF-101/HandstandPushups/v_HandStandPushups_g01_c01.avi");
        Path lists = Files.createDirectories(dir.resolve("ucfTrainTestlist"));
        Files.writeString(lists.resolve("classInd.txt"), "1 ApplyEyeMakeup\n2 HandstandPushups\n");
        Files.writeString(lists.resolve("trainlist01.txt"),
                "ApplyEyeMakeup/v_ApplyEyeMakeup_g08_c01.avi 1\nApplyEyeMakeup/v_ApplyEyeMakeup_g09_c01.avi 1\n");
        Files.writeString(lists.resolve("testlist01.txt"), "HandStandPushups/v_HandStandPushups_g01_c01.avi\n");
        // UCF-101's own folder is "HandstandPushups" while its lists say "HandStandPushups": the file lookup
        // is by the list's path, so it is missing here, and the class is found case-insensitively
        VideoDataset d = Datasets.ucf101(dir, null, 1, false);
        assertThat(d.classes()).containsExactly("ApplyEyeMakeup", "HandstandPushups");
        assertThat(d.train()).hasSize(1);
        assertThat(d.train().get(0).label()).isZero();
        assertThat(d.problems()).hasSize(2).allSatisfy(p -> assertThat(p).contains("missing").contains("list01.txt:"));
        assertThatThrownBy(() -> Datasets.ucf101(dir, null, 1, true)).isInstanceOf(DatasetException.class)
                .hasMessageContaining("v_ApplyEyeMakeup_g09_c01.avi: missing (named in ")
                .hasMessageContaining("trainlist01.txt:2");
        assertThatThrownBy(() -> Datasets.ucf101(dir, null, 2, false)).hasMessageContaining("trainlist02.txt: annotation file not found");
    }

    @Test
    void hmdb51SplitFiles() throws Exception {
        touch("brush_hair/a.avi");
        touch("brush_hair/b.avi");
        touch("cartwheel/c.avi");
        Path s = Files.createDirectories(dir.resolve("testTrainMulti_7030_splits"));
        Files.writeString(s.resolve("brush_hair_test_split1.txt"), "a.avi 1 \nb.avi 2 \n");
        Files.writeString(s.resolve("cartwheel_test_split1.txt"), "c.avi 1 \nd.avi 0 \n");
        VideoDataset d = Datasets.hmdb51(dir, null, 1, true);
        assertThat(d.classes()).containsExactly("brush_hair", "cartwheel");
        assertThat(d.train()).extracting(VideoSample::label).containsExactly(0, 1);
        assertThat(d.test()).hasSize(1);
        assertThat(d.test().get(0).path().getFileName().toString()).isEqualTo("b.avi");
    }

    @Test
    void kineticsCsvWithClassSubset() throws Exception {
        touch("abc_000010_000020.mp4");
        touch("playing drums/xyz_000001_000011.mp4");
        touch("val/singing/qqq_000005_000015.mp4");
        Path csv = dir.resolve("k.csv");
        Files.writeString(csv, "label,youtube_id,time_start,time_end,split\n"
                + "singing,abc,10,20,train\n\"playing drums\",xyz,1,11,train\nsinging,qqq,5,15,val\nknitting,zzz,0,10,train\n");
        VideoDataset all = Datasets.kinetics(dir, csv, "val", List.of(), false);
        assertThat(all.classes()).containsExactly("knitting", "playing drums", "singing");
        assertThat(all.problems()).hasSize(1).first().asString().contains("zzz_000000_000010.mp4");
        VideoDataset sub = Datasets.kinetics(dir, csv, "val", List.of("singing", "playing drums"), true);
        assertThat(sub.classes()).containsExactly("singing", "playing drums");
        assertThat(sub.train()).extracting(VideoSample::label).containsExactly(0, 1);
        assertThat(sub.test()).hasSize(1);
        assertThatThrownBy(() -> Datasets.kinetics(dir, csv, "val", List.of("juggling"), false))
                .hasMessageContaining("'juggling'");
    }

    @Test
    void mmactionVideoLists() throws Exception {
        touch("a/one.mp4");
        touch("b/two words.mp4");
        Files.writeString(dir.resolve("train.txt"), "a/one.mp4 0\n");
        Files.writeString(dir.resolve("val.txt"), "b/two words.mp4 2\n");
        VideoDataset d = Datasets.videoList(dir, dir.resolve("train.txt"), dir.resolve("val.txt"), true);
        assertThat(d.numClasses()).isEqualTo(3);
        assertThat(d.test().get(0).path().getFileName().toString()).isEqualTo("two words.mp4");
        Files.writeString(dir.resolve("bad.txt"), "a/one.mp4 x\n");
        assertThatThrownBy(() -> Datasets.videoList(dir, dir.resolve("bad.txt"), dir.resolve("val.txt"), true))
                .hasMessage(dir.resolve("bad.txt") + ":1: 'x' is not an integer (the label is a line's last field)");
    }

    @Test
    void namesWithSpacesAndNonAsciiInUcfAndMmactionLists() throws Exception {
        touch("UCF-101/MoveRight/v_MoveRight_g03_c02 ünï cødé.avi");
        touch("UCF-101/MoveLeft/v_MoveLeft_g01_c01.avi");
        touch("UCF-101/MoveLeft/v_MoveLeft_g02_c01 two  spaces.avi");
        Path lists = Files.createDirectories(dir.resolve("ucfTrainTestlist"));
        Files.writeString(lists.resolve("classInd.txt"), "1 MoveRight\n2 MoveLeft\n");
        Files.writeString(lists.resolve("trainlist01.txt"),
                "MoveRight/v_MoveRight_g03_c02 ünï cødé.avi 1\r\nMoveLeft/v_MoveLeft_g01_c01.avi\t2\n");
        // test lists carry no label: the class comes from the folder, and the whole line is the path
        Files.writeString(lists.resolve("testlist01.txt"), "MoveLeft/v_MoveLeft_g02_c01 two  spaces.avi\n");
        VideoDataset d = Datasets.ucf101(dir, null, 1, true);
        assertThat(d.train()).extracting(s -> s.path().getFileName().toString())
                .containsExactly("v_MoveRight_g03_c02 ünï cødé.avi", "v_MoveLeft_g01_c01.avi");
        assertThat(d.train()).extracting(VideoSample::label).containsExactly(0, 1);
        assertThat(d.test()).singleElement().satisfies(s -> {
            assertThat(s.label()).isEqualTo(1);
            assertThat(s.path().getFileName().toString()).isEqualTo("v_MoveLeft_g02_c01 two  spaces.avi");
        });

        touch("clips/ünï cødé 2.mp4");
        Files.writeString(dir.resolve("l-train.txt"), "clips/ünï cødé 2.mp4 1\n");
        Files.writeString(dir.resolve("l-val.txt"), "clips/ünï cødé 2.mp4    0  \n");
        VideoDataset l = Datasets.videoList(dir, dir.resolve("l-train.txt"), dir.resolve("l-val.txt"), true);
        assertThat(l.train()).singleElement().satisfies(s -> {
            assertThat(s.label()).isEqualTo(1);
            assertThat(s.path().getFileName().toString()).isEqualTo("ünï cødé 2.mp4");
        });
        assertThat(l.test()).singleElement().extracting(VideoSample::label).isEqualTo(0);
    }

    @Test
    void listEntriesThatLeaveTheRootAreReportedSkippedOrStrict() throws Exception {
        touch("root/a/one.mp4");
        touch("outside.mp4");
        Path root = dir.resolve("root");
        Path train = dir.resolve("train.txt");
        Files.writeString(train, String.join("\n", "a/one.mp4 0", "../../../../etc/passwd 1", "/etc/hostname 1",
                "concat:a/one.mp4|a/one.mp4 0", "http://example.com/v.mp4 0", "pipe:0 1", "C:\\v.mp4 0", "../outside.mp4 0",
                "a/../../outside.mp4 1", "a/./one.mp4 1") + "\n");
        Files.writeString(dir.resolve("val.txt"), "a/one.mp4 0\n");
        VideoDataset d = Datasets.videoList(root, train, dir.resolve("val.txt"), false);
        assertThat(d.train()).extracting(s -> s.path().normalize()).containsExactly(root.resolve("a/one.mp4"), root.resolve("a/one.mp4"));
        assertThat(d.problems()).hasSize(8).allSatisfy(p -> assertThat(p).startsWith(train + ":").contains(": refused, "));
        assertThat(d.problems().get(0)).startsWith(train + ":2: refused, '../../../../etc/passwd' leaves the dataset root");
        assertThat(d.problems().get(1)).startsWith(train + ":3: refused, absolute path");
        assertThat(d.problems().get(2)).contains("URL, protocol or drive");
        assertThatThrownBy(() -> Datasets.videoList(root, train, dir.resolve("val.txt"), true))
                .isInstanceOf(DatasetException.class).hasMessageStartingWith(train + ":2: refused, ");

        // HMDB-51 and Kinetics build paths from their files' fields: the same check applies
        Path splits = Files.createDirectories(root.resolve("testTrainMulti_7030_splits"));
        Files.writeString(splits.resolve("a_test_split1.txt"), "one.mp4 1\n../../outside.mp4 1\n");
        VideoDataset h = Datasets.hmdb51(root, null, 1, false);
        assertThat(h.train()).hasSize(1);
        assertThat(h.problems()).singleElement().asString().contains("a_test_split1.txt:2: refused");
        Path csv = dir.resolve("k.csv");
        Files.writeString(csv, "label,youtube_id,time_start,time_end,split\n../..,x,0,10,train\na,../../../outside,0,10,train\n");
        VideoDataset k = Datasets.kinetics(root, csv, "val", List.of(), false);
        assertThat(k.train()).isEmpty();
        assertThat(k.problems()).hasSize(2).allSatisfy(p -> assertThat(p).contains(": refused, "));
        assertThat(k.problems().get(0)).contains("k.csv:2: refused, '../../x_000000_000010.mp4' leaves the dataset root");
        assertThat(k.problems().get(1)).contains("k.csv:3: refused");
    }

    @Test
    void kineticsAsDistributedAFolderOfPerSplitCsvs() throws Exception {
        touch("k400/train/abseiling/aaa_000001_000011.mp4");
        touch("k400/train/zumba/bbb_000002_000012.mp4");
        touch("k400/val/abseiling/ccc_000003_000013.mp4");
        touch("k400/validate/zumba/ddd_000004_000014.mp4");
        touch("k400/test/eee_000005_000015.mp4");
        Path root = dir.resolve("k400");
        Path ann = Files.createDirectories(dir.resolve("annotations"));
        String head = "label,youtube_id,time_start,time_end,split\n";
        Files.writeString(ann.resolve("train.csv"), head + "abseiling,aaa,1,11,train\nzumba,bbb,2,12,train\n");
        Files.writeString(ann.resolve("validate.csv"), head + "abseiling,ccc,3,13,val\nzumba,ddd,4,14,validate\n");
        Files.writeString(ann.resolve("test.csv"), "youtube_id,time_start,time_end,split\neee,5,15,test\n");
        DatasetConfig c = new DatasetConfig();
        c.type = "kinetics";
        c.root = root.toString();
        c.annotations = ann.toString();
        c.strict = true;
        VideoDataset d = Datasets.load(c);
        assertThat(d.classes()).containsExactly("abseiling", "zumba");
        assertThat(d.train()).extracting(VideoSample::label).containsExactly(0, 1);
        assertThat(d.test()).extracting(s -> s.path().getFileName().toString())
                .containsExactly("ccc_000003_000013.mp4", "ddd_000004_000014.mp4");
        assertThat(d.problems()).singleElement().asString().contains("test.csv").contains("no 'label' column");
        // the same two files listed one by one, and a file without a split column named by its split
        c.annotations = ann.resolve("train.csv") + "," + ann.resolve("validate.csv");
        assertThat(Datasets.load(c).test()).hasSize(2);
        Files.writeString(ann.resolve("train.csv"), "label,youtube_id,time_start,time_end\nabseiling,aaa,1,11\n");
        c.annotations = ann.resolve("train.csv").toString();
        assertThat(Datasets.load(c).train()).hasSize(1);
    }
}

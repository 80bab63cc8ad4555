import assert from "node:assert/strict";
import * as path from "node:path";
import {
  CorpusError,
  parseCremadName,
  parseCsvRow,
  parseEmodbName,
  parseFolderPath,
  parseRavdessName,
  parseSaveeName,
  parseTessName,
  readCremadDemographics,
} from "../../lib/corpora/mod.ts";

Deno.test("RAVDESS speech: every field", () => {
  const l = parseRavdessName("/c/Actor_07/03-01-05-02-01-02-07.wav");
  assert.deepEqual(l, {
    corpus: "ravdess",
    speaker: "ravdess:07",
    gender: "male",
    emotion: "angry",
    label: "05",
    intensity: "strong",
    statement: "01",
    repetition: 2,
    modality: "audio-only",
    vocalChannel: "speech",
  });
  const f = parseRavdessName("/c/03-01-08-01-02-01-12.wav");
  assert.equal(f.gender, "female");
  assert.equal(f.emotion, "surprised");
  assert.equal(f.speaker, "ravdess:12");
});

Deno.test("RAVDESS song and modalities", () => {
  const song = parseRavdessName("Actor_02/03-02-06-01-02-01-02.wav");
  assert.equal(song.vocalChannel, "song");
  assert.equal(song.emotion, "fearful");
  assert.equal(
    parseRavdessName("01-02-03-01-01-01-05.wav").modality,
    "audio-video",
  );
  assert.equal(
    parseRavdessName("02-01-02-01-01-01-05.wav").modality,
    "video-only",
  );
});

Deno.test("RAVDESS names that do not exist in the corpus are errors", () => {
  const cases: [string, RegExp][] = [
    ["hello.wav", /not a RAVDESS name/],
    ["03-01-09-01-01-01-01.wav", /emotion "09" is out of range/],
    ["03-01-01-02-01-01-01.wav", /no strong intensity for neutral/],
    ["03-02-07-01-01-01-01.wav", /song has no disgust/],
    ["03-02-08-01-01-01-01.wav", /song has no surprised/],
    ["03-01-01-01-01-01-25.wav", /actor "25" is out of range/],
    ["04-01-01-01-01-01-01.wav", /modality "04"/],
    [
      "Actor_03/03-01-01-01-01-01-04.wav",
      /actor 04 in the name but the file is in Actor_03/,
    ],
  ];
  for (const [name, reason] of cases) {
    assert.throws(() => parseRavdessName(name), (err: unknown) => {
      assert.ok(err instanceof CorpusError);
      assert.equal(err.path, name);
      assert.match(err.reason, reason);
      assert.ok(err.message.startsWith(`${name}: `));
      return true;
    });
  }
  assert.equal(
    parseRavdessName("03-01-01-01-01-01-30.wav", {
      corpus: "synthetic",
      maxActor: 99,
    })
      .speaker,
    "synthetic:30",
  );
});

Deno.test("TESS: speakers, words, ps = pleasant surprise", () => {
  const l = parseTessName("/t/OAF_Pleasant_surprise/OAF_back_ps.wav");
  assert.equal(l.speaker, "tess:OAF");
  assert.equal(l.gender, "female");
  assert.equal(l.emotion, "surprised");
  assert.equal(l.label, "ps");
  assert.equal(l.statement, "back");
  assert.equal(parseTessName("YAF_angry/YAF_germ_angry.wav").emotion, "angry");
  assert.equal(parseTessName("YAF_fear/YAF_dog_fear.wav").emotion, "fearful");
  assert.equal(parseTessName("OAF_bite_neutral.wav").emotion, "neutral");
  assert.equal(
    parseTessName("YAF_pleasant_surprised/YAF_bath_pleasant_surprised.wav")
      .emotion,
    "surprised",
  );
  assert.throws(
    () => parseTessName("OAF_back_bored.wav"),
    /unknown TESS emotion "bored"/,
  );
  assert.throws(() => parseTessName("MAF_back_sad.wav"), /not a TESS name/);
  assert.throws(
    () => parseTessName("OAF_sad/YAF_back_sad.wav"),
    /speaker YAF in the name but the file is in OAF_sad/,
  );
});

Deno.test("CREMA-D: codes, levels, genders from VideoDemographics.csv", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const csv = path.join(dir, "VideoDemographics.csv");
    Deno.writeTextFileSync(
      csv,
      "ActorID,Age,Sex,Race,Ethnicity\n1001,51,Male,Caucasian,Not Hispanic\n1002,21,Female,Caucasian,Not Hispanic\n",
    );
    const genders = readCremadDemographics(csv);
    assert.deepEqual([...genders], [["1001", "male"], ["1002", "female"]]);
    const l = parseCremadName("AudioWAV/1001_DFA_ANG_XX.wav", genders);
    assert.equal(l.speaker, "crema-d:1001");
    assert.equal(l.gender, "male");
    assert.equal(l.emotion, "angry");
    assert.equal(l.statement, "DFA");
    assert.equal(l.intensity, null);
    assert.equal(
      parseCremadName("1002_IEO_HAP_HI.wav", genders).intensity,
      "high",
    );
    assert.equal(
      parseCremadName("1002_IEO_FEA_LO.wav", genders).gender,
      "female",
    );
    assert.equal(parseCremadName("1050_TIE_SAD_MD.wav").gender, "unknown");
    assert.equal(parseCremadName("1050_TIE_DIS_MD.wav").emotion, "disgust");
    assert.throws(
      () => parseCremadName("1001_XYZ_ANG_XX.wav"),
      /unknown CREMA-D sentence "XYZ"/,
    );
    assert.throws(
      () => parseCremadName("1001_DFA_SUR_XX.wav"),
      /unknown CREMA-D emotion "SUR"/,
    );
    assert.throws(
      () => parseCremadName("0999_DFA_ANG_XX.wav"),
      /outside 1001–1091/,
    );
    Deno.writeTextFileSync(csv, "ActorID,Sex\n1001,X\n");
    assert.throws(() => readCremadDemographics(csv), /row 2: Sex "X"/);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("SAVEE: flat and folder layouts, sa/su prefixes", () => {
  const flat = parseSaveeName("/s/DC_sa03.wav");
  assert.equal(flat.speaker, "savee:DC");
  assert.equal(flat.gender, "male");
  assert.equal(flat.emotion, "sad");
  assert.equal(flat.label, "sa");
  assert.equal(flat.statement, "03");
  assert.equal(parseSaveeName("/s/KL/su12.wav").emotion, "surprised");
  assert.equal(parseSaveeName("/s/KL/su12.wav").speaker, "savee:KL");
  assert.equal(parseSaveeName("/s/JE/a01.wav").emotion, "angry");
  assert.equal(parseSaveeName("/s/JK_d15.wav").emotion, "disgust");
  assert.equal(parseSaveeName("/s/JK_f02.wav").emotion, "fearful");
  assert.equal(parseSaveeName("/s/JK_h02.wav").emotion, "happy");
  assert.equal(parseSaveeName("/s/JK_n30.wav").emotion, "neutral");
  assert.throws(
    () => parseSaveeName("/s/XX_a01.wav"),
    /unknown SAVEE speaker "XX"/,
  );
  assert.throws(() => parseSaveeName("/s/DC/x01.wav"), /not a SAVEE name/);
});

Deno.test("EmoDB: speaker, text, every emotion letter, version, gender", () => {
  const letters: Record<string, string> = {
    W: "angry",
    L: "boredom",
    E: "disgust",
    A: "fearful",
    F: "happy",
    T: "sad",
    N: "neutral",
  };
  for (const [letter, emotion] of Object.entries(letters)) {
    assert.equal(parseEmodbName(`wav/03a01${letter}a.wav`).emotion, emotion);
  }
  const l = parseEmodbName("wav/16b10Tb.wav");
  assert.equal(l.speaker, "emodb:16");
  assert.equal(l.gender, "female");
  assert.equal(l.statement, "b10");
  assert.equal(l.repetition, 2);
  assert.equal(l.label, "T");
  assert.equal(parseEmodbName("03a01Fa.wav").gender, "male");
  assert.equal(parseEmodbName("08a01Fa.wav").gender, "female");
  assert.throws(
    () => parseEmodbName("03a01Xa.wav"),
    /unknown EmoDB emotion letter "X"/,
  );
  assert.throws(
    () => parseEmodbName("04a01Fa.wav"),
    /unknown EmoDB speaker "04"/,
  );
});

Deno.test("folder-per-label: label words, optional speaker level", () => {
  const root = "/data/mine";
  const a = parseFolderPath(root, "/data/mine/Anger/clip1.wav");
  assert.equal(a.emotion, "angry");
  assert.equal(a.label, "Anger");
  assert.equal(a.speaker, "folder:mine:unknown");
  const b = parseFolderPath(root, "/data/mine/happy/spk7/x.wav");
  assert.equal(b.speaker, "folder:mine:spk7");
  assert.throws(
    () => parseFolderPath(root, "/data/mine/excited/x.wav"),
    /unknown emotion label "excited"/,
  );
  assert.throws(
    () => parseFolderPath(root, "/data/mine/x.wav"),
    /expected <label>\/<file>/,
  );
  assert.throws(
    () => parseFolderPath(root, "/data/mine/sad/a/b/x.wav"),
    /expected <label>\/<file>/,
  );
});

Deno.test("CSV row: namespacing, gender, optional columns", () => {
  const l = parseCsvRow({
    path: "a.wav",
    emotion: "Fear",
    speaker: "7",
    gender: "F",
    repetition: "2",
  }, "m.csv row 2");
  assert.equal(l.corpus, "csv");
  assert.equal(l.speaker, "csv:7");
  assert.equal(l.gender, "female");
  assert.equal(l.emotion, "fearful");
  assert.equal(l.repetition, 2);
  const n = parseCsvRow({
    path: "a.wav",
    emotion: "sad",
    speaker: "ravdess:01",
    corpus: "ravdess",
  }, "x");
  assert.equal(n.speaker, "ravdess:01");
  assert.equal(n.corpus, "ravdess");
  assert.equal(n.gender, "unknown");
  assert.throws(
    () => parseCsvRow({ emotion: "meh", speaker: "1" }, "m.csv row 3"),
    /m\.csv row 3: unknown emotion "meh"/,
  );
  assert.throws(
    () => parseCsvRow({ emotion: "sad", speaker: "" }, "r"),
    /empty speaker/,
  );
  assert.throws(
    () => parseCsvRow({ emotion: "sad", speaker: "1", gender: "x" }, "r"),
    /unknown gender/,
  );
  assert.throws(
    () => parseCsvRow({ emotion: "sad", speaker: "1", repetition: "0" }, "r"),
    /repetition "0"/,
  );
});

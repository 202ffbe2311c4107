import { type Derived, inf, lin, oct, type Prototype } from './classify-terms';

/**
 * Soft prototypes of the one-shot classes, written from what the instruments physically are
 * (not fitted to any data set). Each prototype is a list of expectations on the descriptors of
 * classify-descriptors.ts; a descriptor outside its expected range costs a penalty that grows
 * quadratically with the distance in units of `soft` (octaves for log-scaled quantities), capped
 * so that one odd measurement cannot veto a class on its own. A class scores the best of its
 * prototypes (a class such as percussion covers physically different instruments). The scores
 * are log-likelihood-like, so the caller turns them into confidences with a softmax.
 */

/**
 * A membrane's overtones do not fall on harmonics (classify-harmonicity.ts). Not measurable
 * (no steady pitch, or harmonics too close to resolve) costs nothing.
 */
const inharmonic = lin((d) => d.harmonicity ?? 0, 0, 0.5, 0.15);

/**
 * The singer's formant (classify-formant.ts): 0 dB is where the spectrum stops rolling off between
 * 1.3-2.3 kHz and 2.4-3.6 kHz, which instruments' spectra do not; 2 dB is about the scatter of the
 * measurement. A sung vowel expects it above 0 dB, a held instrument note below; not measurable
 * leaves the voice without its evidence (the missing-descriptor penalty) and costs the instrument
 * nothing.
 */
const SINGERS_FORMANT_SOFT_DB = 2;
/** Weighted double in the sung-vowel prototype: it is the one term that tells a voice from a held instrument note. */
const singersFormant = lin((d) => d.singersFormantDb, 0, inf, SINGERS_FORMANT_SOFT_DB, 2);
const noSingersFormant = lin((d) => d.singersFormantDb ?? -inf, -inf, 0, SINGERS_FORMANT_SOFT_DB);

const attack = (d: Derived) => d.attackSec + 0.001;
const decay = (d: Derived) => d.decay20Sec + 0.001;
const hold = (d: Derived) => d.hold10Sec + 0.001;
const active = (d: Derived) => d.activeSec;
const pitch = (d: Derived) => d.pitchHz;

export const ONE_SHOT_PROTOTYPES: Prototype[] = [
  {
    // A large, low-tuned membrane: nearly all energy below 150 Hz, fundamental 35-85 Hz (often
    // falling as the head relaxes), short decay; the beater click adds little high energy.
    label: 'kick',
    name: 'kick',
    terms: [
      lin((d) => d.low, 0.8, 1, 0.15, 1.5),
      // A damped large head has few overtones: little between 150 and 800 Hz (toms have theirs there).
      lin((d) => d.bands[1], 0, 0.1, 0.1),
      oct((d) => d.lowPitchHz, 30, 75, 0.35, 1.5),
      lin((d) => d.high, 0, 0.15, 0.1),
      oct(decay, 0.03, 0.5, 1),
      oct(active, 0.05, 0.6, 1),
      oct(hold, 0.001, 0.25, 1),
      oct(attack, 0.001, 0.03, 1),
    ],
  },
  {
    // A tuned membrane, 75-260 Hz (floor to rack toms): periodic, little noise above 3 kHz,
    // rings longer than a kick or a hand drum, pitch drops a little after the hit. A membrane's
    // overtones are inharmonic (Bessel modes), unlike a string's.
    label: 'tom',
    name: 'tom',
    terms: [
      inharmonic,
      lin((d) => d.periodicity, 0.7, 1, 0.1),
      oct((d) => d.lowPitchHz, 70, 260, 0.4, 1.5),
      lin((d) => d.below800, 0.85, 1, 0.1),
      lin((d) => d.high, 0, 0.05, 0.05),
      oct(decay, 0.12, 1.5, 1),
      oct(hold, 0.001, 0.4, 1),
      oct(attack, 0.001, 0.02, 1),
      lin((d) => d.lowGlideOct, 0.05, 2, 0.15, 0.5),
    ],
  },
  {
    // Head/shell mode at 110-330 Hz plus the broadband rattle of the snare wires: a noisy
    // spectrum reaching above 3 kHz, short decay.
    label: 'snare',
    name: 'snare',
    terms: [
      oct((d) => d.lowPitchHz, 110, 330, 0.5),
      // The drum body carries a real share of the energy (a clap has none).
      lin((d) => d.below800, 0.3, 1, 0.15),
      lin((d) => d.high, 0.04, 0.5, 0.05),
      lin((d) => d.flatness, 0.07, 0.45, 0.05),
      oct((d) => d.centroidBodyHz, 600, 3000, 0.7),
      oct(decay, 0.03, 0.35, 1),
      oct(active, 0.05, 0.9, 1),
      oct(attack, 0.001, 0.015, 1),
    ],
  },
  {
    // Several hands meeting within ~30 ms: a few bursts of noise centred at 1-3 kHz (the palm
    // cavity resonance), no membrane tone, short.
    label: 'clap',
    name: 'clap',
    terms: [
      lin((d) => d.midShare, 0.45, 1, 0.15, 1.5),
      lin((d) => d.periodicity, 0, 0.45, 0.15),
      lin((d) => d.flatness, 0.03, 1, 0.03),
      lin((d) => d.bursts, 2.5, inf, 1),
      oct((d) => d.centroidBodyHz, 900, 3500, 0.6),
      oct(decay, 0.02, 0.3, 1),
      oct(attack, 0.001, 0.02, 1),
    ],
  },
  {
    // Two small cymbals struck with a stick: metallic, energy mostly above 3 kHz, an
    // instantaneous attack, damped well within a second even when open.
    label: 'hihat',
    name: 'hihat-stick',
    terms: [
      lin((d) => d.highShare, 0.5, 1, 0.15, 1.5),
      oct((d) => d.centroidAttackHz, 3500, inf, 0.6),
      lin((d) => d.periodicity, 0, 0.5, 0.15),
      oct(active, 0.03, 1, 0.5, 1.5),
      oct(decay, 0.001, 0.6, 0.7),
      oct(attack, 0.001, 0.006, 1),
    ],
  },
  {
    // The foot "chick": the cymbals clap shut over some milliseconds, and the stand's pedal
    // mechanism adds a low thump.
    label: 'hihat',
    name: 'hihat-pedal',
    terms: [
      lin((d) => d.highShare, 0.5, 1, 0.15, 1.5),
      oct((d) => d.centroidAttackHz, 3000, inf, 0.6),
      lin((d) => d.low, 0.05, 0.4, 0.05),
      oct(active, 0.03, 1, 0.5, 1.5),
      oct(decay, 0.001, 0.3, 0.7),
      oct(attack, 0.006, 0.04, 1),
    ],
  },
  {
    // A free-ringing cymbal (crash, ride, splash, china): dense inharmonic partials, energy above
    // ~1.5 kHz, an impulsive attack and a long ring (seconds). Hi-hats are the same metal but
    // damped: their spectrum can be noise-like (acoustic) or a cluster of square waves (808), so
    // flatness says little; the length does.
    label: 'cymbal',
    name: 'cymbal',
    terms: [
      lin((d) => d.periodicity, 0, 0.7, 0.15),
      oct((d) => d.centroidBodyHz, 1500, inf, 0.7),
      lin((d) => d.low, 0, 0.1, 0.1),
      oct(active, 1.3, inf, 0.5, 1.5),
      oct(decay, 0.25, inf, 1),
      oct(attack, 0.001, 0.03, 1),
    ],
  },
  {
    // The bell (cup) of a ride: a few strong, discrete inharmonic partials above 2.5 kHz (so a
    // sparse, un-flat spectrum), still a long ring.
    label: 'cymbal',
    name: 'cymbal-bell',
    terms: [
      lin((d) => d.high, 0.5, 1, 0.15),
      lin((d) => d.flatness, 0, 0.04, 0.03),
      lin((d) => d.periodicity, 0.4, 0.8, 0.15),
      oct((d) => d.centroidBodyHz, 2500, inf, 0.5),
      oct(active, 0.8, inf, 0.5),
      oct(decay, 0.12, inf, 1),
      oct(attack, 0.001, 0.02, 1),
    ],
  },
  {
    // Hand drums (conga, bongo, timbale, tabla): smaller membranes tuned 150-600 Hz, damped by
    // the hand, so short. The tuned head rings periodically for the whole (short) sound, with
    // inharmonic overtones; a pizzicato string has harmonic ones, a burst of noise no steady tone.
    label: 'percussion',
    name: 'hand-drum',
    terms: [
      inharmonic,
      lin((d) => d.voicedFraction, 0.5, 1, 0.2),
      lin((d) => d.periodicity, 0.6, 1, 0.15),
      oct((d) => d.lowPitchHz, 150, 600, 0.4),
      lin((d) => d.below800, 0.6, 1, 0.15),
      oct(decay, 0.01, 0.2, 1),
      oct(active, 0.03, 0.5, 0.7),
      oct(attack, 0.001, 0.015, 1),
    ],
  },
  {
    // Struck wood or metal blocks (cowbell, clave, woodblock, agogo, click): one or a few strong
    // modes at 350 Hz - 3 kHz, very short.
    label: 'percussion',
    name: 'block',
    terms: [
      lin((d) => d.periodicity, 0.6, 1, 0.15),
      oct(pitch, 350, 3000, 0.5),
      oct(decay, 0.005, 0.15, 1),
      oct(active, 0.02, 0.5, 1),
      oct(attack, 0.001, 0.01, 1),
    ],
  },
  {
    // Shakers (maracas, cabasa, shaker): many grains hitting the shell, so a noisy high spectrum
    // with a smeared (not instantaneous) onset, short, nothing low.
    label: 'percussion',
    name: 'shaker',
    terms: [
      lin((d) => d.flatness, 0.1, 1, 0.08),
      lin((d) => d.low, 0, 0.03, 0.03),
      lin((d) => d.high, 0.6, 1, 0.15),
      oct((d) => d.centroidAttackHz, 5000, inf, 0.5),
      oct(attack, 0.006, 0.1, 1),
      oct(decay, 0.005, 0.15, 1),
      oct(active, 0.03, 0.5, 1),
    ],
  },
  {
    // Jingles (tambourine, sleigh bells): clashing small metal discs: high, partly tonal, rough.
    label: 'percussion',
    name: 'jingle',
    terms: [
      lin((d) => d.high, 0.6, 1, 0.15),
      lin((d) => d.periodicity, 0.5, 1, 0.15),
      oct(attack, 0.001, 0.02, 1),
      oct(decay, 0.05, 0.6, 1),
      oct(active, 0.1, 1.2, 0.7),
      lin((d) => d.roughnessDb, 1, inf, 0.5),
    ],
  },
  {
    // Triangle, chimes: a high, clean metallic ring.
    label: 'percussion',
    name: 'triangle',
    terms: [
      lin((d) => d.periodicity, 0.7, 1, 0.15),
      lin((d) => d.high, 0.5, 1, 0.15),
      oct(decay, 0.3, inf, 1),
      oct(attack, 0.001, 0.02, 1),
    ],
  },
  {
    // Bowed, blown, sung or synthesised held notes: harmonic, stable pitch, sustained.
    label: 'melodic',
    name: 'sustained-note',
    terms: [
      lin((d) => d.periodicity, 0.85, 1, 0.1, 1.5),
      lin((d) => d.voicedFraction, 0.8, 1, 0.2),
      oct(pitch, 100, 4200, 0.6),
      // Above the bass register, where a low note would rather be called bass (a preference,
      // not a veto: a cello's low notes are still melodic).
      oct(pitch, 160, inf, 0.5, 0.5),
      lin((d) => d.f0SpreadCents, 0, 30, 30),
      oct(hold, 0.3, inf, 1),
      noSingersFormant,
    ],
  },
  {
    // Struck or plucked tuned instruments (piano, guitar, mallets, harp): harmonic, stable pitch,
    // sharp attack, ringing for a good fraction of a second.
    label: 'melodic',
    name: 'struck-note',
    terms: [
      lin((d) => d.periodicity, 0.85, 1, 0.1, 1.5),
      lin((d) => d.voicedFraction, 0.8, 1, 0.2),
      oct(pitch, 120, 4200, 0.6),
      // Above the bass register, where a low note would rather be called bass (a preference,
      // not a veto: a cello's low notes are still melodic).
      oct(pitch, 160, inf, 0.5, 0.5),
      lin((d) => d.f0SpreadCents, 0, 30, 30),
      oct(decay, 0.25, inf, 1),
      oct(attack, 0.001, 0.03, 1),
    ],
  },
  {
    // Bass instruments: harmonic, fundamental in the bass register (35-160 Hz, about C#1-E3),
    // all energy below 800 Hz, steady pitch (no downward drum glide), sounding for a while.
    label: 'bass',
    name: 'bass-note',
    terms: [
      lin((d) => d.periodicity, 0.7, 1, 0.15),
      oct((d) => d.lowPitchHz, 35, 160, 0.5, 1.5),
      lin((d) => d.below800, 0.85, 1, 0.1),
      lin((d) => d.high, 0, 0.03, 0.03),
      lin((d) => d.f0SpreadCents, 0, 25, 25),
      lin((d) => d.lowGlideOct, -inf, 0.15, 0.2, 0.5),
      // Vibrato belongs to bowed strings, winds and voices playing low notes, not to bass
      // guitars or synth basses.
      lin((d) => d.vibratoCents, 0, 2, 2),
      oct(decay, 0.3, inf, 1),
    ],
  },
  {
    // A sung, held note: harmonic, 90 Hz - 1 kHz, soft onset (no hammer or pluck transient),
    // held, with the vibrato (tens of cents) that fixed-pitch instruments lack.
    label: 'vocal',
    name: 'sung-note',
    terms: [
      lin((d) => d.periodicity, 0.8, 1, 0.1),
      oct(pitch, 90, 1000, 0.3),
      oct(hold, 0.4, inf, 0.7),
      oct(attack, 0.03, 1, 1),
      lin((d) => d.f0SpreadCents, 12, 80, 5),
      lin((d) => d.high, 0, 0.15, 0.1),
    ],
  },
  {
    // A held sung vowel, solo or choir, with or without vibrato: harmonic, in the range of voices
    // (80 Hz - 1 kHz), a soft onset, held, and the singer's formant: the spectrum dips after the
    // vowel's F1/F2 and climbs again at 2.4-3.6 kHz, where held instrument notes roll off (a few
    // struck or distorted sounds climb there too: the soft onset and the hold keep them out).
    label: 'vocal',
    name: 'sung-vowel',
    terms: [
      lin((d) => d.periodicity, 0.8, 1, 0.1),
      oct(pitch, 80, 1000, 0.3),
      oct(hold, 0.4, inf, 0.7),
      oct(attack, 0.03, 1, 1),
      singersFormant,
    ],
  },
  {
    // Speech or a sung phrase: voiced syllables alternating with unvoiced consonants, gliding
    // intonation, several syllable onsets; energy in the formant region (150 Hz - 4 kHz).
    label: 'vocal',
    name: 'vocal-phrase',
    terms: [
      lin((d) => d.voicedFraction, 0.4, 0.9, 0.15),
      oct(pitch, 80, 1000, 0.5),
      lin((d) => d.f0SpreadCents, 30, 400, 15),
      lin((d) => d.reattacks, 1, inf, 1),
      lin((d) => d.low, 0, 0.15, 0.1),
      oct(active, 0.4, inf, 1),
    ],
  },
  {
    // Noise that fades in (wind, sea, breath, risers): no instrument class starts that way.
    label: 'fx',
    name: 'noise-swell',
    terms: [lin((d) => d.periodicity, 0, 0.5, 0.15), oct(attack, 0.12, inf, 1, 2), oct(active, 0.5, inf, 1)],
  },
  {
    // Textures made of many events or strong amplitude modulation (applause, rotors, engines),
    // not one steady tone: a held note with tremolo or an ensemble's beating is still a note.
    label: 'fx',
    name: 'modulated-texture',
    terms: [
      lin((d) => d.periodicity, 0, 0.8, 0.1),
      lin((d) => d.reattacks, 3, inf, 1),
      oct(active, 0.8, inf, 0.5),
      oct(hold, 0.25, inf, 1),
      lin((d) => d.roughnessDb, 1.2, inf, 0.5),
    ],
  },
  {
    // Pitched sounds that glide or warble far more than a note (birds, sirens, zaps).
    label: 'fx',
    name: 'pitch-sweep',
    terms: [
      lin((d) => d.voicedFraction, 0.5, 1, 0.2),
      lin((d) => d.f0SpreadCents, 80, inf, 30),
      oct(active, 0.3, inf, 1),
      lin((d) => d.roughnessDb, 1.5, inf, 0.5),
    ],
  },
];

/** Score of the "none of the instrument prototypes fits" reading: fx is the open class. */
export const FX_BASELINE = -5;

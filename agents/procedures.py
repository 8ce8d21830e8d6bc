"""The examiner's vocabulary: common examinations and tests, how students name them, and how
they nest (a general request such as "bloods" covers the tests under it).

Everything here is general clinical vocabulary, never keyed to a particular case. Text is folded
before matching (lower case, British and American spellings, plurals), so aliases are written
once in plain lower-case words.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

# --------------------------------------------------------------------------------------------
# Text folding
# --------------------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_PHRASES = [
    (re.compile(r"\bx[\s-]?rays?\b"), " xray "),
    (re.compile(r"\bu\s*(?:&|\+|and|n)\s*e'?s?\b"), " ue "),
    (re.compile(r"\bv\s*/\s*q\b"), " vq "),
    (re.compile(r"\bc[\s-]reactive\b"), " c reactive "),
    (re.compile(r"\bnt[\s-]?pro[\s-]?bnp\b"), " bnp "),
    (re.compile(r"\bspo2\b|\bsao2\b|\bo2 sats?\b"), " sats "),
    (re.compile(r"\bco-?ag\b"), " coag "),
]
_TOKEN = re.compile(r"[a-z0-9]+")
_SPELLING = [("ae", "e"), ("oe", "e"), ("ph", "f"), ("isation", "ization"), ("yse", "yze")]


def fold(text: str) -> str:
    """Lower case, ASCII, spelling-folded text with phrase normalisations applied."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _CONTROL.sub(" ", text).lower()
    text = text.replace("µ", "u").replace("β", "beta ").replace("α", "alpha ")
    for pattern, repl in _PHRASES:
        text = pattern.sub(repl, text)
    return text


def stem(word: str) -> str:
    for a, b in _SPELLING:
        if a in word and len(word) > 3:
            word = word.replace(a, b)
    if len(word) <= 3:
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    for suffix in ("xes", "sses", "ches", "shes"):
        if word.endswith(suffix):
            return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def tokens(text: str) -> list[str]:
    return [stem(t) for t in _TOKEN.findall(fold(text))]


# Words that carry no information about which examination or test is meant.
STOPWORDS = frozenset(
    tokens(
        "a an the of to in on at for and or with without by from into please pls kindly can could "
        "would will you your i we me my us our her his him she he their they them this that these "
        "those it its is are be been do does did done doing perform performed get send sent order "
        "ordered request requested check checked examine examined exam examination examining "
        "assess assessment measure measured run take taken want like need let lets have has had "
        "some any all also then now just quick quickly urgent urgently stat repeat result level "
        "value show see tell what which how about patient pt look listen feel palpate "
        "auscultate inspect percuss tap test study studies analysis screen panel serum plasma "
        "blood lead 12 make diagnosis go ahead next first second same again there here full set "
        "complete formal bedside clinical routine baseline"
    )
)

# Verbs that name an examination manoeuvre; they narrow "feel the abdomen" to palpation.
MANOEUVRES = {
    **{stem(w): "palpation" for w in ("feel", "palpate", "palpation", "press")},
    **{stem(w): "auscultation" for w in ("listen", "auscultate", "auscultation")},
    **{stem(w): "inspection" for w in ("look", "inspect", "inspection", "observe")},
    **{stem(w): "percussion" for w in ("tap", "percuss", "percussion")},
}

# Words between an imaging modality and its region ("CT scan of the head with contrast").
IMAGING_FILLER = frozenset(tokens("of the a an scan scans with without contrast non plain and study imaging view views image"))


# --------------------------------------------------------------------------------------------
# Concepts
# --------------------------------------------------------------------------------------------


@dataclass
class Concept:
    key: str
    name: str  # the normalised name reported as `requested`
    kind: str  # "exam" or "test"
    parent: str | None
    aliases: list[str]
    routine: bool = False
    normal: str | None = None  # text of an unlisted routine result
    qualified: bool = False  # a family ("biopsy", "antibodies"): extra words must match a finding
    mention: list[str] = field(default_factory=list)  # extra words that find it inside a panel's text


_E, _T = "exam", "test"
_WNL = "Within normal limits."

# key, name, kind, parent, aliases, routine, normal text, qualified
_TABLE: list[tuple] = [
    # ---- examinations ------------------------------------------------------------------
    ("physical", "physical examination", _E, None,
     "physical examination, physical exam, physical, full examination, clinical examination, "
     "examination, head to toe, systems examination, on examination, exam patient",
     True, "No abnormality found on examination."),
    ("general", "general appearance", _E, "physical",
     "general appearance, appearance, general examination, general exam, general inspection, "
     "general, overall appearance, how they look, pallor, jaundice, cyanosis, hydration, "
     "dehydration, capillary refill, mucous membranes, end of the bed",
     True, "Alert and comfortable at rest; not pale, jaundiced or cyanosed; well hydrated."),
    ("vitals", "vital signs", _E, "physical",
     "vital signs, vitals, vital, obs, observations, observation chart, news score, news2",
     True, "Heart rate, blood pressure, respiratory rate, temperature and oxygen saturation within normal limits."),
    ("heart-rate", "heart rate", _E, "vitals",
     "heart rate, pulse, pulse rate, hr, rate and rhythm, heart rhythm",
     True, "Pulse within normal limits, regular."),
    ("blood-pressure", "blood pressure", _E, "vitals",
     "blood pressure, bp, lying and standing blood pressure, postural blood pressure, postural bp, "
     "blood pressure measurement",
     True, "Blood pressure within normal limits."),
    ("resp-rate", "respiratory rate", _E, "vitals",
     "respiratory rate, resp rate, breathing rate, rr, respiration rate, respirations",
     True, "Respiratory rate within normal limits."),
    ("temperature", "temperature", _E, "vitals",
     "temperature, temp, fever, pyrexia, febrile",
     True, "Temperature normal."),
    ("sats", "oxygen saturation", _E, "vitals",
     "oxygen saturation, sats, saturation, saturations, pulse oximetry, oximetry, oxygen",
     True, "Oxygen saturation normal on room air."),
    ("anthropometry", "weight and height", _E, "physical",
     "weight, height, bmi, body mass index, growth, head circumference, growth chart",
     False, None),
    ("cardio", "cardiovascular examination", _E, "physical",
     "cardiovascular examination, cardiovascular, cardiovascular system, cvs, cardiac examination, "
     "cardiac exam, cardiac, heart, heart sounds, murmur, murmurs, cardiac auscultation, "
     "heart auscultation, precordium, precordial, apex beat, gallop, rub, pericardial rub",
     True, "Heart sounds I and II, no added sounds."),
    ("jvp", "jugular venous pressure", _E, "cardio",
     "jugular venous pressure, jvp, neck veins, jugular venous distension, jvd",
     True, "JVP not raised."),
    ("pulses", "peripheral pulses", _E, "cardio",
     "peripheral pulses, pulses, radial pulse, femoral pulses, pedal pulses, foot pulses, "
     "radio femoral delay, bruits, carotid bruit",
     True, "Peripheral pulses palpable and symmetrical."),
    ("oedema", "peripheral oedema", _E, "cardio",
     "peripheral edema, edema, ankle swelling, pitting edema, ankle edema, sacral edema",
     True, "No peripheral oedema."),
    ("resp", "respiratory examination", _E, "physical",
     "respiratory examination, respiratory exam, respiratory, respiratory system, resp, chest, "
     "chest examination, chest exam, lungs, lung, lung fields, chest auscultation, breath sounds, "
     "air entry, breathing, crackles, wheeze, chest expansion, tactile fremitus, vocal resonance",
     True, "Chest clear; vesicular breath sounds, no added sounds."),
    ("abdo", "abdominal examination", _E, "physical",
     "abdominal examination, abdominal exam, abdomen, abdominal, abdo, tummy, belly, "
     "bowel sounds, organomegaly, hepatomegaly, splenomegaly, spleen, liver edge, hernial orifices",
     True, "Abdomen soft and non-tender; no masses or organomegaly; bowel sounds normal."),
    ("rectal", "rectal examination", _E, "physical",
     "rectal examination, rectal exam, digital rectal examination, dre, pr examination, pr exam, rectal",
     False, None),
    ("pelvic", "pelvic examination", _E, "physical",
     "pelvic examination, pelvic exam, vaginal examination, speculum, speculum examination, "
     "bimanual, bimanual examination, gynecological examination, pelvic",
     False, None),
    ("genital", "genital examination", _E, "physical",
     "genital examination, genitals, genitalia, testicular examination, testes, scrotum, scrotal",
     False, None),
    ("breast", "breast examination", _E, "physical",
     "breast examination, breast exam, breasts, breast", False, None),
    ("obstetric", "obstetric examination", _E, "physical",
     "obstetric examination, fundal height, fetal heart rate, fetal heart, cardiotocography, ctg, "
     "fetal monitoring",
     False, None),
    ("neuro", "neurological examination", _E, "physical",
     "neurological examination, neurologic examination, neurological exam, neurological, neurologic, "
     "neuro, neuro exam, nervous system, cns examination, neurology",
     True, "Cranial nerves intact; normal tone, power, reflexes, sensation and coordination; gait normal."),
    ("cranial-nerves", "cranial nerves", _E, "neuro",
     "cranial nerves, cranial nerve, cn, eye movements, facial nerve, facial movements, "
     "facial sensation, ptosis, tongue movements, swallow, hearing test",
     True, "Cranial nerves II to XII intact."),
    ("reflexes", "reflexes", _E, "neuro",
     "reflexes, reflex, tendon reflexes, deep tendon reflexes, plantars, plantar response, "
     "babinski, ankle jerks, knee jerks, clonus",
     True, "Reflexes normal and symmetrical; plantars flexor."),
    ("power", "motor examination", _E, "neuro",
     "power, strength, muscle strength, motor, motor examination, motor function, weakness, tone, "
     "muscle tone, muscle power, muscle bulk, wasting, fasciculations, pronator drift",
     True, "Normal tone, bulk and power in all four limbs."),
    ("sensation", "sensory examination", _E, "neuro",
     "sensation, sensory, sensory examination, sensory exam, light touch, pinprick, pin prick, "
     "vibration, vibration sense, proprioception, joint position, joint position sense, "
     "temperature sensation, monofilament, numbness",
     True, "Sensation intact to light touch, pinprick, vibration and joint position."),
    ("coordination", "coordination", _E, "neuro",
     "coordination, cerebellar, cerebellar examination, cerebellar signs, finger nose, "
     "finger to nose, heel shin, heel to shin, dysdiadochokinesia, rapid alternating movements, "
     "romberg, romberg test, nystagmus, ataxia, tremor, intention tremor",
     True, "No cerebellar signs; coordination normal."),
    ("gait", "gait", _E, "neuro",
     "gait, walking, walk, tandem gait, heel toe walking", True, "Gait normal."),
    ("mental", "mental state examination", _E, "neuro",
     "mental status, mental state, mental status examination, mental state examination, mse, "
     "mental, cognition, cognitive, orientation, orientated, oriented, mmse, moca, gcs, "
     "glasgow coma scale, consciousness, conscious level, level of consciousness, alertness, "
     "mood, affect, behavior, speech, thought, insight, psychiatric examination",
     True, "Alert and oriented; mental state unremarkable."),
    ("meningism", "meningism", _E, "neuro",
     "meningism, meningismus, neck stiffness, stiff neck, nuchal rigidity, kernig, kernig sign, "
     "brudzinski, meningeal signs",
     True, "No neck stiffness; Kernig sign negative."),
    ("eyes", "eye examination", _E, "physical",
     "eye examination, eye exam, eyes, eye, ophthalmic examination, ophthalmological examination, "
     "ocular, conjunctiva, conjunctivae, sclera, visual fields, eyelids, ophthalmology",
     True, "Eyes normal: pupils equal and reactive, visual acuity and fields normal, conjunctivae normal."),
    ("fundoscopy", "fundoscopy", _E, "eyes",
     "fundoscopy, funduscopy, fundi, fundus, ophthalmoscopy, optic disc, optic discs, retina, "
     "retinal examination, dilated fundus examination, papilledema",
     True, "Optic discs and retinae normal."),
    ("acuity", "visual acuity", _E, "eyes",
     "visual acuity, acuity, vision, snellen, eyesight, eye chart", True, "Visual acuity normal in both eyes."),
    ("pupils", "pupils", _E, "eyes",
     "pupils, pupil, pupillary reflexes, pupillary light reflex, rapd, relative afferent pupillary defect, "
     "light reflex",
     True, "Pupils equal and reactive to light."),
    ("slit-lamp", "slit-lamp examination", _E, "eyes",
     "slit lamp, slit lamp examination, biomicroscopy", False, None),
    ("ent", "ENT examination", _E, "physical",
     "ent, ent examination, ear nose and throat, ears nose and throat, head and neck examination, heent",
     True, "Ears, nose and throat unremarkable."),
    ("throat", "mouth and throat examination", _E, "ent",
     "throat, pharynx, oropharynx, tonsils, tonsil, mouth, oral cavity, oral, tongue, lips, "
     "gums, teeth, dentition, mouth and throat, oral examination, buccal mucosa, palate",
     True, "Mouth and throat normal; tonsils not enlarged."),
    ("ears", "ear examination", _E, "ent",
     "ears, ear, otoscopy, auroscope, otoscope, tympanic membrane, tympanic membranes, ear canal, "
     "ear drums, eardrum",
     True, "Ear canals and tympanic membranes normal."),
    ("nose", "nasal examination", _E, "ent",
     "nose, nasal, nasal examination, rhinoscopy, anterior rhinoscopy, nasal mucosa, septum, nostrils",
     True, "Nasal mucosa normal."),
    ("airway", "airway examination", _E, "ent",
     "airway, airway examination, stridor, upper airway", True, "Airway patent; no stridor."),
    ("nodes", "lymph node examination", _E, "physical",
     "lymph nodes, lymph node, lymph node examination, lymphadenopathy, lymph glands, glands, "
     "cervical nodes, cervical lymph nodes, axillary nodes, inguinal nodes, lymphatic",
     True, "No palpable lymphadenopathy."),
    ("neck", "neck examination", _E, "physical",
     "neck, neck examination, thyroid examination, thyroid gland, goiter, goitre, thyroid exam",
     True, "Neck normal; no goitre or masses."),
    ("skin", "skin examination", _E, "physical",
     "skin, skin examination, skin exam, rash, rashes, dermatological examination, dermatologic, "
     "dermatological, skin lesions, lesions, mucocutaneous, hair, scalp",
     True, "No rash or skin lesions."),
    ("hands", "hand examination", _E, "physical",
     "hands, hand, hand examination, nails, nail, fingernails, clubbing, finger clubbing, fingers, "
     "palms, palmar",
     True, "Hands normal; no clubbing."),
    ("msk", "musculoskeletal examination", _E, "physical",
     "musculoskeletal, musculoskeletal examination, msk, joints, joint, joint examination, spine, back, "
     "knee, knees, hip, hips, shoulder, shoulders, elbow, wrist, ankle, gals, range of movement, "
     "range of motion, synovitis, arthritis",
     True, "Joints: no swelling, tenderness or restriction of movement."),
    ("limbs", "limb examination", _E, "physical",
     "legs, leg, leg examination, limbs, limb, extremities, extremity, calf, calves, feet, foot, "
     "arms, lower limbs, upper limbs, lower limb examination",
     True, "Limbs normal; no swelling or calf tenderness."),
    # ---- tests -----------------------------------------------------------------------------
    ("lab", "laboratory tests", _T, None,
     "laboratory tests, lab tests, labs, laboratory, lab work, laboratory studies, laboratory values, "
     "laboratory results, investigations",
     True, "Routine laboratory tests within normal limits."),
    ("bloods", "blood tests", _T, "lab",
     "blood tests, blood test, bloods, blood work, bloodwork, routine bloods, blood panel, blood, "
     "basic labs, serum laboratory values, serum chemistry, serum chemistries, biochemistry, chemistry, "
     "serum biochemistry, blood chemistry, blood results, blood sample, laboratory blood tests",
     True, "Full blood count, renal and liver function, CRP and glucose within normal limits."),
    ("cbc", "complete blood count", _T, "bloods",
     "cbc, fbc, full blood count, complete blood count, blood count, blood counts, hemogram, "
     "full blood picture",
     True, "Haemoglobin, white cell count and platelets within normal limits."),
    ("hemoglobin", "haemoglobin", _T, "cbc",
     "hemoglobin, hb, hgb, hemoglobin level, hemoglobin concentration", True, "Haemoglobin normal."),
    ("red-cells", "red cell indices", _T, "cbc",
     "red cell count, red blood cell count, rbc, red blood cells, red cells, hematocrit, hct, pcv, "
     "mcv, mch, mchc, rdw, red cell indices, reticulocytes, reticulocyte count, mean corpuscular volume",
     True, "Red cell indices normal."),
    ("wcc", "white cell count", _T, "cbc",
     "white cell count, wcc, wbc, white blood cell count, white blood cells, white cells, "
     "leukocyte count, leukocytes, leucocytes, leucocyte count, differential, differential count, "
     "neutrophils, neutrophil count, lymphocytes, lymphocyte count, eosinophils, basophils, "
     "monocytes, white count",
     True, "White cell count normal with a normal differential."),
    ("platelets", "platelets", _T, "cbc",
     "platelets, platelet count, plt, platelet", True, "Platelet count normal."),
    ("film", "blood film", _T, "bloods",
     "blood film, peripheral smear, peripheral blood smear, blood smear, peripheral blood film, "
     "smear", False, None),
    ("ue", "urea and electrolytes", _T, "bloods",
     "ue, urea and electrolytes, electrolytes, serum electrolytes, bmp, basic metabolic panel, "
     "renal function, renal function tests, kidney function, kidney function tests, renal profile, "
     "renal panel, chem 7, lytes, rft",
     True, "Sodium, potassium, urea and creatinine within normal limits."),
    ("sodium", "sodium", _T, "ue", "sodium, na", True, "Sodium normal."),
    ("potassium", "potassium", _T, "ue", "potassium, k", True, "Potassium normal."),
    ("creatinine", "creatinine", _T, "ue",
     "creatinine, egfr, gfr, estimated gfr, creatinine clearance, cr", True, "Creatinine and eGFR normal."),
    ("urea", "urea", _T, "ue", "urea, bun, blood urea nitrogen", True, "Urea normal."),
    ("chloride", "chloride", _T, "ue", "chloride, cl", True, "Chloride normal."),
    ("bicarbonate", "bicarbonate", _T, "ue",
     "bicarbonate, hco3, bicarb, anion gap, total co2", True, "Bicarbonate normal."),
    ("magnesium", "magnesium", _T, "bloods", "magnesium, mg", True, "Magnesium normal."),
    ("bone", "bone profile", _T, "bloods",
     "bone profile, calcium, corrected calcium, ca, phosphate, phosphorus, serum calcium",
     True, "Calcium and phosphate normal."),
    ("lft", "liver function tests", _T, "bloods",
     "lft, liver function tests, liver function test, liver function, liver tests, liver panel, "
     "hepatic function, hepatic function panel, liver enzymes, liver profile, liver chemistry",
     True, "Liver function tests within normal limits."),
    ("alt", "ALT", _T, "lft", "alt, alanine aminotransferase, alanine transaminase, sgpt", True, "ALT normal."),
    ("ast", "AST", _T, "lft", "ast, aspartate aminotransferase, aspartate transaminase, sgot", True, "AST normal."),
    ("alp", "alkaline phosphatase", _T, "lft", "alp, alkaline phosphatase, alk phos", True, "Alkaline phosphatase normal."),
    ("ggt", "GGT", _T, "lft", "ggt, gamma gt, gamma glutamyl transferase", True, "GGT normal."),
    ("bilirubin", "bilirubin", _T, "lft",
     "bilirubin, total bilirubin, direct bilirubin, indirect bilirubin, conjugated bilirubin, "
     "unconjugated bilirubin, bili",
     True, "Bilirubin normal."),
    ("albumin", "albumin", _T, "lft", "albumin, serum albumin, total protein, protein level", True, "Albumin normal."),
    ("inflammatory", "inflammatory markers", _T, "bloods",
     "inflammatory markers, inflammatory marker, acute phase reactants, acute phase response",
     True, "CRP and ESR within normal limits."),
    ("crp", "CRP", _T, "inflammatory", "crp, c reactive protein, hs crp", True, "CRP < 5 mg/L."),
    ("esr", "ESR", _T, "inflammatory",
     "esr, erythrocyte sedimentation rate, sed rate, sedimentation rate, plasma viscosity",
     True, "ESR within normal limits."),
    ("procalcitonin", "procalcitonin", _T, "lab", "procalcitonin, pct", False, None),
    ("glucose", "glucose", _T, "bloods",
     "glucose, blood glucose, blood sugar, sugar, sugars, capillary glucose, capillary blood glucose, "
     "cbg, bm, fingerprick glucose, fasting glucose, random glucose, serum glucose, plasma glucose",
     True, "Blood glucose within normal limits."),
    ("hba1c", "HbA1c", _T, "lab", "hba1c, a1c, glycated hemoglobin, glycosylated hemoglobin", False, None),
    ("coag", "coagulation screen", _T, "bloods",
     "coag, coagulation, coagulation screen, coagulation studies, coagulation profile, clotting, "
     "clotting screen, clotting studies, inr, prothrombin time, aptt, ptt, "
     "partial thromboplastin time, fibrinogen",
     True, "Clotting screen normal."),
    ("troponin", "troponin", _T, "lab",
     "troponin, trop, troponins, hs troponin, high sensitivity troponin, troponin t, troponin i, "
     "cardiac enzymes, cardiac markers, ck mb",
     False, None),
    ("bnp", "BNP", _T, "lab", "bnp, brain natriuretic peptide, natriuretic peptide", False, None),
    ("ddimer", "D-dimer", _T, "lab", "d dimer, ddimer, dimer", False, None),
    ("gas", "blood gas", _T, "lab",
     "blood gas, blood gases, abg, vbg, arterial blood gas, venous blood gas, gas, gases, "
     "arterial gas, venous gas, capillary gas, ph, pco2, po2, acid base",
     False, None),
    ("lactate", "lactate", _T, "lab", "lactate, lactic acid, serum lactate", False, None),
    ("ketones", "ketones", _T, "lab",
     "ketones, blood ketones, ketone, beta hydroxybutyrate, capillary ketones, serum ketones", False, None),
    ("tft", "thyroid function tests", _T, "lab",
     "tsh, thyroid, thyroid function, thyroid function tests, tft, thyroid stimulating hormone, "
     "t4, free t4, ft4, t3, free t3, thyroxine, thyroid panel",
     False, None),
    ("lipids", "lipid profile", _T, "lab",
     "lipids, lipid profile, lipid panel, cholesterol, triglycerides, ldl, hdl, fasting lipids", False, None),
    ("iron", "iron studies", _T, "lab",
     "iron studies, iron, ferritin, transferrin, transferrin saturation, tibc, serum iron, haematinics",
     False, None),
    ("vitamins", "vitamin levels", _T, "lab",
     "b12, vitamin b12, folate, folic acid, vitamin d, vitamin levels, cobalamin, thiamine", False, None),
    ("ck", "creatine kinase", _T, "lab", "ck, creatine kinase, cpk, creatine phosphokinase", False, None),
    ("pancreatic", "amylase and lipase", _T, "lab", "amylase, lipase, serum amylase, serum lipase", False, None),
    ("ammonia", "ammonia", _T, "lab", "ammonia, serum ammonia", False, None),
    ("urate", "urate", _T, "lab", "urate, uric acid", False, None),
    ("osmolality", "osmolality", _T, "lab", "osmolality, osmolarity, serum osmolality, urine osmolality", False, None),
    ("hormones", "hormone levels", _T, "lab",
     "hormones, hormone, hormone levels, cortisol, acth, prolactin, lh, fsh, testosterone, estradiol, "
     "pth, parathyroid hormone, insulin, growth hormone, igf 1, aldosterone, renin, metanephrines, "
     "catecholamines, synacthen",
     False, None, True),
    ("tumour-markers", "tumour markers", _T, "lab",
     "tumor markers, tumor marker, cea, ca 125, ca 19 9, psa, afp, alpha fetoprotein", False, None, True),
    ("tox", "toxicology screen", _T, "lab",
     "toxicology, toxicology screen, tox screen, drug screen, urine drug screen, paracetamol level, "
     "acetaminophen level, salicylate level, alcohol level, drug levels",
     False, None, True),
    ("pregnancy", "pregnancy test", _T, "lab",
     "pregnancy test, beta hcg, bhcg, hcg, urine hcg, serum hcg, pregnancy", False, None),
    ("antibodies", "antibodies and serology", _T, "lab",
     "antibodies, antibody, serology, serological, autoantibodies, autoantibody, autoimmune screen, "
     "immunology, immunology tests, immunological tests, ana, anca, dsdna, anti dsdna, "
     "rheumatoid factor, anti ccp, anti, immunoglobulins, immunoglobulin, igg, igm, iga, ige, "
     "viral serology, hepatitis serology, hiv test, hiv, titer, titre",
     False, None, True),
    ("complement", "complement", _T, "antibodies", "complement, c3, c4, complement levels", False, None),
    ("enzyme", "enzyme assay", _T, "lab",
     "enzyme assay, enzyme activity, enzyme, enzymes, assay, enzyme studies, enzyme analysis",
     False, None, True),
    ("metabolic", "metabolic tests", _T, "lab",
     "metabolic screen, metabolic tests, amino acids, organic acids, acylcarnitines, "
     "acylcarnitine profile, plasma amino acids, urine organic acids, newborn screening",
     False, None, True),
    ("genetic", "genetic testing", _T, "lab",
     "genetic testing, genetic test, genetic tests, genetics, gene, genes, gene test, gene panel, "
     "sequencing, exome, exome sequencing, genome, genome sequencing, karyotype, chromosomes, "
     "chromosomal analysis, microarray, cytogenetic, cytogenetics, dna, mutation analysis, "
     "molecular testing, molecular genetic testing, genotyping, variant, fish",
     False, None, True),
    ("cultures", "cultures", _T, "lab",
     "cultures, culture, microbiology, culture and sensitivity, mc and s, mcs", False, None, True),
    ("blood-cultures", "blood cultures", _T, "cultures", "blood cultures, blood culture", False, None),
    ("swab", "swab", _T, "cultures",
     "swab, swabs, throat swab, nasal swab, nasopharyngeal swab, wound swab, pcr, viral pcr, "
     "respiratory viral panel, covid test, rapid strep test, strep test, rapid antigen test",
     False, None, True),
    ("sputum", "sputum culture", _T, "cultures",
     "sputum, sputum culture, sputum microscopy, sputum gram stain, afb", False, None),
    ("urine", "urine tests", _T, "lab",
     "urine, urine test, urine tests, urine sample, urine studies", True,
     "Urine dipstick negative for blood, protein, glucose, ketones, leucocytes and nitrites."),
    ("urinalysis", "urinalysis", _T, "urine",
     "urinalysis, urine analysis, urine dip, urine dipstick, dipstick, dip, ua, urine microscopy, "
     "urine microscopy and culture, urine mc and s, msu",
     True, "Urine dipstick negative for blood, protein, glucose, ketones, leucocytes and nitrites."),
    ("urine-culture", "urine culture", _T, "urine", "urine culture, urine cultures", False, None),
    ("stool", "stool tests", _T, "lab",
     "stool, stool test, stool tests, stool sample, stool culture, fecal, fecal occult blood, "
     "fecal occult blood test, fobt, fit, fit test, fecal immunochemical test, calprotectin, "
     "fecal calprotectin, ova and parasites, c diff",
     False, None, True),
    ("csf", "lumbar puncture", _T, "lab",
     "lumbar puncture, lp, csf, cerebrospinal fluid, spinal tap, csf analysis, "
     "cerebrospinal fluid analysis",
     False, None),
    ("fluid", "fluid analysis", _T, "lab",
     "pleural fluid, ascitic fluid, ascitic tap, paracentesis, thoracentesis, pleural tap, "
     "joint aspirate, joint aspiration, synovial fluid, arthrocentesis, fluid analysis",
     False, None, True),
    ("ecg", "ECG", _T, None,
     "ecg, ekg, electrocardiogram, electrocardiograph, electrocardiography, 12 lead ecg, "
     "heart tracing, cardiac monitoring, holter, holter monitor, rhythm strip, telemetry",
     True, "Sinus rhythm, normal axis; no ST-segment or T-wave changes."),
    ("eeg", "EEG", _T, None, "eeg, electroencephalogram, electroencephalography, video eeg", False, None),
    ("emg", "electromyography", _T, None, "emg, electromyography, electromyogram", False, None),
    ("ncs", "nerve conduction studies", _T, None,
     "nerve conduction, nerve conduction studies, nerve conduction study, ncs, ncv, "
     "nerve conduction velocity",
     False, None),
    ("spirometry", "lung function tests", _T, None,
     "spirometry, lung function tests, lung function, pulmonary function tests, pulmonary function, "
     "pft, pfts, peak flow, peak expiratory flow, fev1",
     False, None),
    ("audiometry", "audiometry", _T, None, "audiometry, audiogram, hearing tests, hearing assessment", False, None),
    ("sweat", "sweat test", _T, "lab", "sweat test, sweat chloride", False, None),
    ("biopsy", "biopsy", _T, None,
     "biopsy, biopsies, histology, histopathology, tissue biopsy, pathology, bone marrow, "
     "bone marrow biopsy, bone marrow aspirate, cytology, fine needle aspiration, fna",
     False, None, True),
    ("endoscopy", "endoscopy", _T, None,
     "endoscopy, ogd, upper endoscopy, gastroscopy, upper gi endoscopy, egd, colonoscopy, "
     "sigmoidoscopy, flexible sigmoidoscopy, bronchoscopy, cystoscopy, laryngoscopy, "
     "nasendoscopy, capsule endoscopy, ercp",
     False, None, True),
    ("imaging", "imaging", _T, None, "imaging, radiology, scan, scans", False, None, True),
    ("xray", "X-ray", _T, "imaging", "xray, radiograph, radiography, plain film, plain films", False, None, True),
    ("cxr", "chest X-ray", _T, "xray",
     "cxr, chest xray, chest radiograph, chest film, chest radiography",
     True, "Chest X-ray: clear lung fields; normal heart size and mediastinum."),
    ("ct", "CT", _T, "imaging", "ct, computed tomography, cat, ct scan", False, None, True),
    ("mri", "MRI", _T, "imaging", "mri, magnetic resonance imaging, magnetic resonance, mra", False, None, True),
    ("ultrasound", "ultrasound", _T, "imaging",
     "ultrasound, ultrasonography, sonography, uss, sonogram, doppler, duplex, duplex ultrasound",
     False, None, True),
    ("echo", "echocardiogram", _T, "ultrasound",
     "echo, echocardiogram, echocardiography, tte, tee, toe, transthoracic echo, "
     "transthoracic echocardiogram, transesophageal echo, transesophageal echocardiogram, "
     "cardiac ultrasound, bubble echo, contrast echocardiogram",
     False, None),
    ("angiography", "angiography", _T, "imaging",
     "angiography, angiogram, arteriography, venography, "
     "coronary angiography, cardiac catheterization",
     False, None, True),
    ("nuclear", "nuclear medicine scan", _T, "imaging",
     "pet, pet ct, pet scan, bone scan, vq, vq scan, ventilation perfusion scan, spect, "
     "scintigraphy, nuclear medicine, dexa, dxa, bone density",
     False, None, True),
    ("mammogram", "mammogram", _T, "imaging", "mammogram, mammography", False, None),
]

CONCEPTS: dict[str, Concept] = {}
for row in _TABLE:
    key, name, kind, parent, aliases, routine, normal, *rest = row
    CONCEPTS[key] = Concept(
        key, name, kind, parent, [a.strip() for a in aliases.split(",") if a.strip()],
        routine, normal, bool(rest and rest[0]),
    )

# Aliases that name several concepts at once.
GROUPS: dict[str, list[str]] = {
    "cardiopulmonary": ["cardio", "resp"],
    "cardiorespiratory": ["cardio", "resp"],
    "cardiopulmonary examination": ["cardio", "resp"],
    "heart and lungs": ["cardio", "resp"],
    "cmp": ["ue", "lft", "glucose"],
    "comprehensive metabolic panel": ["ue", "lft", "glucose"],
    "metabolic panel": ["ue", "glucose"],
    "chem 10": ["ue", "glucose", "bone", "magnesium"],
    "u and e and lft": ["ue", "lft"],
}

# Imaging: modalities and the regions they combine with ("CT head", "MRI of the brain").
MODALITIES = ("xray", "ct", "mri", "ultrasound", "nuclear", "angiography")
REGIONS: dict[str, tuple[str, str]] = {}  # folded token(s) -> (region key, display)
_REGION_TABLE = {
    "head": ("head", "head brain cranial cerebral skull intracranial pituitary orbit orbits"),
    "neck": ("neck", "neck thyroid carotid carotids cervical soft tissue neck"),
    "chest": ("chest", "chest thorax thoracic lung lungs pulmonary"),
    "heart": ("heart", "heart cardiac"),
    "abdomen": ("abdomen", "abdomen abdominal abdo liver hepatic gallbladder biliary pancreas pancreatic "
                          "kidney kidneys renal spleen bowel"),
    "pelvis": ("pelvis", "pelvis pelvic uterus ovary ovaries bladder prostate transvaginal"),
    "spine": ("spine", "spine spinal vertebral lumbar thoracolumbar whole spine cord"),
    "limb": ("limb", "knee knees hip hips shoulder shoulders hand hands wrist wrists ankle ankles foot feet "
                    "leg legs arm arms limb limbs elbow elbows joint joints bone bones skeletal "
                    "skeletal survey femur tibia"),
    "vessels": ("vessels", "vein veins venous artery arteries arterial vascular"),
}
for _key, (_display, _words) in _REGION_TABLE.items():
    for _w in _words.split():
        REGIONS[stem(_w)] = (_key, _display)
_REGION_NAMES = {"head": {"mri": "brain"}, "limb": {}, "vessels": {}}
_MOD_SPECIAL = {("xray", "chest"): "cxr", ("ultrasound", "heart"): "echo"}


def imaging_concept(modality: str, region: str) -> str:
    """The concept key of a modality over a region, creating it on first use."""
    special = _MOD_SPECIAL.get((modality, region))
    if special:
        return special
    key = f"{modality}:{region}"
    if key not in CONCEPTS:
        mod = CONCEPTS[modality]
        display = _REGION_NAMES.get(region, {}).get(modality, region)
        words = [w for w, (r, _) in _REGION_TABLE_STEMS.items() if r == region]
        CONCEPTS[key] = Concept(
            key, f"{mod.name} {display}", _T, modality, [], False, None, False, mention=words
        )
    return key


_REGION_TABLE_STEMS = {w: v for w, v in REGIONS.items()}
for _m in MODALITIES:
    for _r in _REGION_TABLE:
        imaging_concept(_m, _r)


def ancestors(key: str) -> list[str]:
    out = []
    parent = CONCEPTS[key].parent
    while parent:
        out.append(parent)
        parent = CONCEPTS[parent].parent
    return out


# Concepts whose findings are free-text catch-alls ("physical examination", "blood tests").
GENERIC = frozenset({"physical", "lab", "bloods", "imaging", "urine"})

# Alias index: tuple of stemmed tokens -> concept keys.
ALIASES: dict[tuple[str, ...], list[str]] = {}
for _c in CONCEPTS.values():
    for _a in _c.aliases:
        _t = tuple(tokens(_a))
        if _t:
            ALIASES.setdefault(_t, [])
            if _c.key not in ALIASES[_t]:
                ALIASES[_t].append(_c.key)
GROUPS["ctpa"] = ["ct:chest", "angiography"]
GROUPS["ct pulmonary angiogram"] = ["ct:chest", "angiography"]
GROUPS["ct pulmonary angiography"] = ["ct:chest", "angiography"]
for _a, _keys in GROUPS.items():
    ALIASES[tuple(tokens(_a))] = list(_keys)
MAX_ALIAS = max(len(k) for k in ALIASES)
MODALITY_KEYS = frozenset(MODALITIES)


CHILDREN: dict[str, list[str]] = {}
for _c in CONCEPTS.values():
    if _c.parent:
        CHILDREN.setdefault(_c.parent, []).append(_c.key)


def mention_phrases(key: str) -> list[tuple[str, ...]]:
    """Token sequences that show a concept's result is inside another finding's text: its own
    names and those of the concepts beneath it (a panel reporting Na and K reports the U&E)."""
    if key in GENERIC:
        return []
    out, todo = [], [key]
    while todo:
        c = CONCEPTS[todo.pop()]
        out += [tuple(tokens(a)) for a in c.aliases] + [tuple(tokens(m)) for m in c.mention]
        todo += CHILDREN.get(c.key, [])
    return [t for t in dict.fromkeys(out) if t and (len(t) > 1 or len(t[0]) >= 2)]


def is_imaging(key: str) -> bool:
    return key in MODALITY_KEYS or key == "imaging" or "imaging" in ancestors(key)

#include "coherence/synthetic.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <utility>

#include "core/codelists.h"
#include "interop/iati.h"

namespace gmg::coherence {
namespace {

// ---- Deterministic randomness (splitmix64; no std:: distributions, whose output varies) ----

class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed * 0x9E3779B97F4A7C15ULL + 0x2545F4914F6CDD1DULL) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  size_t Below(size_t n) { return n == 0 ? 0 : static_cast<size_t>(Next() % n); }
  bool Chance(double p) { return Uniform() < p; }
  template <typename T>
  const T& Pick(const std::vector<T>& v) {
    return v[Below(v.size())];
  }

 private:
  uint64_t state_;
};

// Draws 0..n-1 with P(k) ∝ 1 / (k + 1)^s.
class Zipf {
 public:
  Zipf(size_t n, double s) : cdf_(n) {
    double sum = 0;
    for (size_t k = 0; k < n; ++k) cdf_[k] = (sum += 1.0 / std::pow(static_cast<double>(k + 1), s));
    for (double& c : cdf_) c /= sum;
  }
  size_t Draw(Rng& rng) const {
    auto it = std::lower_bound(cdf_.begin(), cdf_.end(), rng.Uniform());
    return std::min(static_cast<size_t>(it - cdf_.begin()), cdf_.size() - 1);
  }

 private:
  std::vector<double> cdf_;
};

// ---- What the texts are made of ----

enum Lang { kEn = 0, kFr = 1, kEs = 2 };
constexpr const char* kLangCodes[] = {"en", "fr", "es"};

struct Tr {
  const char* en;
  const char* fr;
  const char* es;
  const char* In(int lang) const { return lang == kFr ? fr : lang == kEs ? es : en; }
};

// One kind of work: its type, topic, codes and its title and description in three languages,
// with the slots {p} (the place) and {g} (the people served).
struct Work {
  int topic;
  const char* type;
  std::vector<const char*> themes;
  std::vector<const char*> dac;   // DAC 5-digit purpose codes (vocabulary 1)
  const char* sdg;                // SDG target (tag vocabulary 3), "" when none
  std::vector<const char*> orgs;  // who usually does it
  Tr title;
  Tr description;
};

const std::vector<Work>& Works() {
  static const std::vector<Work> kWorks = {
      // Topic 0: trafficking.
      {0,
       "training",
       {"trafficking", "human-rights"},
       {"15130"},
       "16.2",
       {"iom", "unodc"},
       {"Training of border officials on counter-trafficking in {p}",
        "Formation des agents frontaliers à la lutte contre la traite en {p}",
        "Capacitación de funcionarios fronterizos contra la trata en {p}"},
       {"Courses for border and police officers on identifying victims of trafficking among {g} "
        "and referring them to protection services.",
        "Cours pour les agents des frontières et de police sur l'identification des victimes de "
        "la traite parmi les {g} et leur orientation vers les services de protection.",
        "Cursos para agentes de fronteras y de policía sobre la identificación de víctimas de "
        "trata entre {g} y su derivación a los servicios de protección."}},
      {0,
       "research",
       {"trafficking", "human-rights"},
       {"15130"},
       "8.7",
       {"unodc", "ilo", "iom"},
       {"Study of trafficking routes and recruitment patterns in {p}",
        "Étude des routes de la traite et des modes de recrutement en {p}",
        "Estudio de las rutas de la trata y de los patrones de captación en {p}"},
       {"Field research and interviews with survivors mapping how traffickers recruit {g} and "
        "move them across borders.",
        "Recherche de terrain et entretiens avec des survivants pour cartographier comment les "
        "trafiquants recrutent les {g} et leur font franchir les frontières.",
        "Investigación de campo y entrevistas con sobrevivientes para trazar cómo los tratantes "
        "captan a {g} y los trasladan a través de las fronteras."}},
      {0,
       "technical_assistance",
       {"trafficking", "human-rights"},
       {"15130"},
       "16.2",
       {"unodc", "ohchr", "iom"},
       {"Support to the national referral mechanism for victims of trafficking in {p}",
        "Appui au mécanisme national d'orientation des victimes de la traite en {p}",
        "Apoyo al mecanismo nacional de derivación de víctimas de trata en {p}"},
       {"Advice to ministries on standard operating procedures, case management and "
        "coordination between agencies assisting {g}.",
        "Conseils aux ministères sur les procédures opérationnelles normalisées, la gestion des "
        "cas et la coordination entre les services qui assistent les {g}.",
        "Asesoramiento a los ministerios sobre procedimientos operativos estándar, gestión de "
        "casos y coordinación entre las instituciones que asisten a {g}."}},
      {0,
       "operational_programme",
       {"trafficking", "human-rights"},
       {"15180"},
       "5.2",
       {"iom", "unfpa", "unicef"},
       {"Shelters and direct assistance for survivors of trafficking in {p}",
        "Foyers d'accueil et assistance directe aux survivants de la traite en {p}",
        "Albergues y asistencia directa a sobrevivientes de trata en {p}"},
       {"Safe accommodation, medical and psychosocial care, legal aid and livelihoods for "
        "survivors among {g}.",
        "Hébergement sûr, soins médicaux et psychosociaux, aide juridique et moyens de "
        "subsistance pour les survivants parmi les {g}.",
        "Alojamiento seguro, atención médica y psicosocial, asistencia jurídica y medios de vida "
        "para sobrevivientes entre {g}."}},
      {0,
       "event",
       {"trafficking", "human-rights"},
       {"15130"},
       "16.2",
       {"unodc", "ohchr"},
       {"Regional conference on cooperation against trafficking in persons, {p}",
        "Conférence régionale sur la coopération contre la traite des personnes, {p}",
        "Conferencia regional sobre cooperación contra la trata de personas, {p}"},
       {"Two days of exchanges between prosecutors, labour inspectors and civil society on joint "
        "investigations and protecting {g}.",
        "Deux jours d'échanges entre procureurs, inspecteurs du travail et société civile sur les "
        "enquêtes conjointes et la protection des {g}.",
        "Dos días de intercambio entre fiscales, inspectores de trabajo y sociedad civil sobre "
        "investigaciones conjuntas y la protección de {g}."}},
      // Topic 1: labour migration.
      {1,
       "technical_assistance",
       {"labour-migration", "human-rights"},
       {"16070"},
       "8.8",
       {"ilo", "iom"},
       {"Fair recruitment of {g} in {p}", "Recrutement équitable des {g} en {p}",
        "Contratación equitativa de {g} en {p}"},
       {"Works with employers, private recruitment agencies and unions to end recruitment fees "
        "and contract substitution.",
        "Travaille avec les employeurs, les agences de recrutement privées et les syndicats pour "
        "supprimer les frais de recrutement et la substitution de contrats.",
        "Trabaja con empleadores, agencias privadas de empleo y sindicatos para eliminar las "
        "comisiones de contratación y la sustitución de contratos."}},
      {1,
       "research",
       {"labour-migration", "skills-brain-drain"},
       {"16070"},
       "8.8",
       {"ilo", "worldbank"},
       {"Labour market assessment of migrant workers' skills in {p}",
        "Évaluation du marché du travail et des compétences des travailleurs migrants en {p}",
        "Evaluación del mercado laboral y de las competencias de los trabajadores migrantes en "
        "{p}"},
       {"Survey of sectors with labour shortages and of the skills, wages and working conditions "
        "of {g}.",
        "Enquête sur les secteurs en pénurie de main-d'œuvre et sur les compétences, les salaires "
        "et les conditions de travail des {g}.",
        "Encuesta sobre los sectores con escasez de mano de obra y sobre las competencias, los "
        "salarios y las condiciones de trabajo de {g}."}},
      {1,
       "training",
       {"labour-migration"},
       {"16070"},
       "8.8",
       {"iom", "ilo"},
       {"Pre-departure orientation training for {g} in {p}",
        "Formation d'orientation avant le départ pour les {g} en {p}",
        "Capacitación de orientación previa a la partida para {g} en {p}"},
       {"Courses on workers' rights, contracts, remittances and where to get help abroad, run "
        "with labour ministries.",
        "Cours sur les droits des travailleurs, les contrats, les envois de fonds et l'aide "
        "disponible à l'étranger, avec les ministères du travail.",
        "Cursos sobre derechos laborales, contratos, remesas y dónde obtener ayuda en el "
        "extranjero, con los ministerios de trabajo."}},
      {1,
       "policy_dialogue",
       {"labour-migration", "migration-development"},
       {"16070"},
       "8.8",
       {"ilo", "worldbank", "iom"},
       {"Dialogue on bilateral labour migration agreements, {p}",
        "Dialogue sur les accords bilatéraux de migration de main-d'œuvre, {p}",
        "Diálogo sobre acuerdos bilaterales de migración laboral, {p}"},
       {"Brings countries of origin and destination together to negotiate agreements that "
        "protect {g}.",
        "Réunit pays d'origine et de destination pour négocier des accords qui protègent les {g}.",
        "Reúne a países de origen y de destino para negociar acuerdos que protejan a {g}."}},
      {1,
       "normative",
       {"labour-migration", "migration-law"},
       {"16070"},
       "8.8",
       {"ilo", "ohchr"},
       {"Legal review towards ratifying the migrant worker conventions in {p}",
        "Examen juridique en vue de la ratification des conventions sur les travailleurs "
        "migrants en {p}",
        "Revisión jurídica para la ratificación de los convenios sobre trabajadores migrantes en "
        "{p}"},
       {"Gap analysis of national labour law against ILO Conventions 97 and 143 and tripartite "
        "consultations.",
        "Analyse des écarts entre le droit du travail national et les conventions 97 et 143 de "
        "l'OIT, et consultations tripartites.",
        "Análisis de las brechas entre la legislación laboral nacional y los Convenios 97 y 143 "
        "de la OIT, y consultas tripartitas."}},
      {1,
       "data_statistics",
       {"labour-migration", "migration-data"},
       {"13096"},
       "17.18",
       {"ilo", "undesa"},
       {"Labour migration statistics in {p}", "Statistiques des migrations de main-d'œuvre en {p}",
        "Estadísticas de migración laboral en {p}"},
       {"A labour force survey module counting {g}, their occupations and earnings, with the "
        "national statistical office.",
        "Un module d'enquête sur la population active qui dénombre les {g}, leurs professions et "
        "leurs revenus, avec l'institut national de statistique.",
        "Un módulo de la encuesta de fuerza de trabajo que cuenta a {g}, sus ocupaciones e "
        "ingresos, con la oficina nacional de estadística."}},
      // Topic 2: remittances.
      {2,
       "research",
       {"remittances", "migration-development"},
       {"24050"},
       "10.c",
       {"worldbank", "unctad"},
       {"Study of remittance costs and uses in {p}",
        "Étude des coûts et des usages des envois de fonds en {p}",
        "Estudio de los costos y usos de las remesas en {p}"},
       {"Household survey on how much {g} send home, what it costs and how families invest it.",
        "Enquête auprès des ménages sur les montants envoyés par les {g}, leur coût et leur "
        "utilisation par les familles.",
        "Encuesta de hogares sobre cuánto envían {g}, cuánto cuesta y cómo lo invierten las "
        "familias."}},
      {2,
       "technical_assistance",
       {"remittances"},
       {"24050"},
       "10.c",
       {"worldbank", "undp"},
       {"Digital remittance channels and payment reform in {p}",
        "Canaux numériques d'envoi de fonds et réforme des paiements en {p}",
        "Canales digitales de remesas y reforma de los pagos en {p}"},
       {"Advice to the central bank and regulators on mobile money, competition and lower "
        "transfer fees.",
        "Conseils à la banque centrale et aux régulateurs sur l'argent mobile, la concurrence et "
        "la baisse des frais de transfert.",
        "Asesoramiento al banco central y a los reguladores sobre dinero móvil, competencia y "
        "comisiones de envío más bajas."}},
      {2,
       "training",
       {"remittances", "migration-development"},
       {"24050"},
       "10.c",
       {"iom", "undp"},
       {"Financial literacy training for {g} and their families in {p}",
        "Formation à l'éducation financière des {g} et de leurs familles en {p}",
        "Capacitación en educación financiera para {g} y sus familias en {p}"},
       {"Workshops on saving, budgeting and choosing safe money transfer services.",
        "Ateliers sur l'épargne, le budget et le choix de services de transfert d'argent sûrs.",
        "Talleres sobre ahorro, presupuesto y elección de servicios seguros de envío de dinero."}},
      {2,
       "policy_dialogue",
       {"remittances", "diaspora"},
       {"24050"},
       "10.c",
       {"undp", "unctad"},
       {"Policy dialogue on remittances for development in {p}",
        "Dialogue politique sur les envois de fonds au service du développement en {p}",
        "Diálogo de políticas sobre remesas para el desarrollo en {p}"},
       {"Roundtables between governments, banks and diaspora associations on channelling "
        "remittances into investment.",
        "Tables rondes entre gouvernements, banques et associations de la diaspora pour orienter "
        "les envois de fonds vers l'investissement.",
        "Mesas redondas entre gobiernos, bancos y asociaciones de la diáspora para canalizar las "
        "remesas hacia la inversión."}},
      {2,
       "event",
       {"remittances", "diaspora"},
       {"24050"},
       "10.c",
       {"unctad", "iom"},
       {"Diaspora investment forum, {p}", "Forum de l'investissement de la diaspora, {p}",
        "Foro de inversión de la diáspora, {p}"},
       {"An annual forum where diaspora entrepreneurs meet banks and local authorities.",
        "Un forum annuel où les entrepreneurs de la diaspora rencontrent les banques et les "
        "autorités locales.",
        "Un foro anual donde los empresarios de la diáspora se reúnen con bancos y autoridades "
        "locales."}},
      // Topic 3: refugees.
      {3,
       "operational_programme",
       {"refugee-protection"},
       {"72010"},
       "",
       {"unhcr", "wfp"},
       {"Reception and shelter for newly arrived refugees in {p}",
        "Accueil et hébergement des réfugiés nouvellement arrivés en {p}",
        "Recepción y alojamiento de refugiados recién llegados en {p}"},
       {"Registration, emergency shelter, food and core relief items for {g} arriving at the "
        "border.",
        "Enregistrement, abris d'urgence, vivres et articles de première nécessité pour les {g} "
        "arrivant à la frontière.",
        "Registro, albergue de emergencia, alimentos y artículos de socorro para {g} que llegan a "
        "la frontera."}},
      {3,
       "technical_assistance",
       {"refugee-protection", "migration-law"},
       {"72010"},
       "",
       {"unhcr"},
       {"Strengthening refugee status determination in {p}",
        "Renforcement de la détermination du statut de réfugié en {p}",
        "Fortalecimiento de la determinación de la condición de refugiado en {p}"},
       {"Support to the national asylum authority on procedures, case backlogs and quality of "
        "decisions.",
        "Appui à l'autorité nationale d'asile sur les procédures, l'arriéré des dossiers et la "
        "qualité des décisions.",
        "Apoyo a la autoridad nacional de asilo en procedimientos, rezago de casos y calidad de "
        "las decisiones."}},
      {3,
       "training",
       {"refugee-protection", "migration-law"},
       {"72010"},
       "",
       {"unhcr", "ohchr"},
       {"Training of asylum officers and judges in {p}",
        "Formation des agents de l'asile et des juges en {p}",
        "Capacitación de funcionarios de asilo y jueces en {p}"},
       {"Courses on international refugee law, interviewing {g} and assessing credibility.",
        "Cours sur le droit international des réfugiés, les entretiens avec les {g} et "
        "l'évaluation de la crédibilité.",
        "Cursos sobre derecho internacional de los refugiados, entrevistas con {g} y evaluación "
        "de la credibilidad."}},
      {3,
       "research",
       {"refugee-protection", "human-rights"},
       {"72010"},
       "",
       {"unhcr", "drc"},
       {"Protection monitoring and needs assessment of refugees in {p}",
        "Suivi de la protection et évaluation des besoins des réfugiés en {p}",
        "Monitoreo de protección y evaluación de necesidades de los refugiados en {p}"},
       {"Regular interviews with {g} on safety, documentation, access to services and "
        "intentions.",
        "Entretiens réguliers avec les {g} sur la sécurité, les documents, l'accès aux services "
        "et les intentions.",
        "Entrevistas periódicas con {g} sobre seguridad, documentación, acceso a servicios e "
        "intenciones."}},
      {3,
       "data_statistics",
       {"refugee-protection", "migration-data"},
       {"72010", "13096"},
       "",
       {"unhcr", "undesa"},
       {"Refugee registration and population data in {p}",
        "Enregistrement des réfugiés et données de population en {p}",
        "Registro de refugiados y datos de población en {p}"},
       {"Biometric registration and a shared dataset of refugees by age, sex and location.",
        "Enregistrement biométrique et base de données partagée des réfugiés par âge, sexe et "
        "lieu.",
        "Registro biométrico y una base de datos compartida de refugiados por edad, sexo y "
        "ubicación."}},
      // Topic 4: internal displacement.
      {4,
       "data_statistics",
       {"internal-displacement", "migration-data"},
       {"72010"},
       "",
       {"iom"},
       {"Displacement tracking in {p}", "Suivi des déplacements en {p}",
        "Seguimiento de los desplazamientos en {p}"},
       {"Regular counts of internally displaced people and their needs, for humanitarian "
        "planning.",
        "Comptages réguliers des personnes déplacées internes et de leurs besoins, pour la "
        "planification humanitaire.",
        "Recuentos periódicos de las personas desplazadas internas y de sus necesidades, para la "
        "planificación humanitaria."}},
      {4,
       "operational_programme",
       {"internal-displacement", "return-reintegration"},
       {"72010"},
       "",
       {"iom", "undp", "nrc"},
       {"Durable solutions for internally displaced people in {p}",
        "Solutions durables pour les personnes déplacées internes en {p}",
        "Soluciones duraderas para las personas desplazadas internas en {p}"},
       {"Housing, land rights, jobs and local integration for {g} in areas of displacement and "
        "return.",
        "Logement, droits fonciers, emplois et intégration locale pour les {g} dans les zones de "
        "déplacement et de retour.",
        "Vivienda, derechos sobre la tierra, empleo e integración local para {g} en las zonas de "
        "desplazamiento y retorno."}},
      {4,
       "research",
       {"internal-displacement"},
       {"72010"},
       "",
       {"iom", "undp"},
       {"Study of the drivers of internal displacement in {p}",
        "Étude des causes des déplacements internes en {p}",
        "Estudio de las causas del desplazamiento interno en {p}"},
       {"Analysis of conflict, disasters and climate change as causes of displacement among {g}.",
        "Analyse des conflits, des catastrophes et du changement climatique comme causes de "
        "déplacement parmi les {g}.",
        "Análisis de los conflictos, los desastres y el cambio climático como causas del "
        "desplazamiento entre {g}."}},
      {4,
       "policy_dialogue",
       {"internal-displacement", "migration-law"},
       {"72010"},
       "",
       {"unhcr", "ohchr"},
       {"Dialogue on a national law on internal displacement in {p}",
        "Dialogue sur une loi nationale relative aux déplacements internes en {p}",
        "Diálogo sobre una ley nacional de desplazamiento interno en {p}"},
       {"Consultations with parliament, ministries and displaced communities on rights under the "
        "Guiding Principles.",
        "Consultations avec le parlement, les ministères et les communautés déplacées sur les "
        "droits prévus par les Principes directeurs.",
        "Consultas con el parlamento, los ministerios y las comunidades desplazadas sobre los "
        "derechos de los Principios Rectores."}},
      {4,
       "training",
       {"internal-displacement"},
       {"72010"},
       "",
       {"iom", "unhcr"},
       {"Training on camp coordination and management in {p}",
        "Formation à la coordination et à la gestion des camps en {p}",
        "Capacitación en coordinación y gestión de campamentos en {p}"},
       {"Courses for site managers and local authorities on services for {g} and their "
        "participation.",
        "Cours pour les gestionnaires de sites et les autorités locales sur les services aux {g} "
        "et leur participation.",
        "Cursos para gestores de sitios y autoridades locales sobre los servicios para {g} y su "
        "participación."}},
      // Topic 5: migration data.
      {5,
       "data_statistics",
       {"migration-data"},
       {"13096"},
       "17.18",
       {"undesa", "unfpa"},
       {"Migration questions in the population census of {p}",
        "Questions sur la migration dans le recensement de la population en {p}",
        "Preguntas sobre migración en el censo de población de {p}"},
       {"Guidance on questions on country of birth, citizenship and previous residence, and on "
        "tabulating them.",
        "Conseils sur les questions relatives au pays de naissance, à la nationalité et à la "
        "résidence antérieure, et sur leur tabulation.",
        "Orientación sobre las preguntas de país de nacimiento, ciudadanía y residencia anterior, "
        "y sobre su tabulación."}},
      {5,
       "training",
       {"migration-data"},
       {"13096"},
       "17.18",
       {"undesa", "iom"},
       {"Training of statisticians on migration data in {p}",
        "Formation des statisticiens aux données migratoires en {p}",
        "Capacitación de estadísticos en datos migratorios en {p}"},
       {"Courses for statistical offices on administrative sources, surveys and estimates of "
        "{g}.",
        "Cours pour les instituts de statistique sur les sources administratives, les enquêtes et "
        "les estimations des {g}.",
        "Cursos para las oficinas de estadística sobre fuentes administrativas, encuestas y "
        "estimaciones de {g}."}},
      {5,
       "research",
       {"migration-data", "migration-development"},
       {"13096"},
       "17.18",
       {"iom", "unfpa"},
       {"Migration profile of {p}", "Profil migratoire de {p}", "Perfil migratorio de {p}"},
       {"A national report on emigration, immigration, remittances and policies, updated with "
        "the government.",
        "Un rapport national sur l'émigration, l'immigration, les envois de fonds et les "
        "politiques, mis à jour avec le gouvernement.",
        "Un informe nacional sobre emigración, inmigración, remesas y políticas, actualizado con "
        "el gobierno."}},
      {5,
       "technical_assistance",
       {"migration-data"},
       {"13096"},
       "17.18",
       {"iom", "undesa"},
       {"National migration data strategy for {p}",
        "Stratégie nationale de données migratoires pour {p}",
        "Estrategia nacional de datos migratorios para {p}"},
       {"Support to coordinate ministries and share data on {g} safely and regularly.",
        "Appui à la coordination des ministères et au partage sûr et régulier des données sur les "
        "{g}.",
        "Apoyo para coordinar a los ministerios y compartir datos sobre {g} de forma segura y "
        "periódica."}},
      {5,
       "event",
       {"migration-data"},
       {"13096"},
       "17.18",
       {"undesa", "unfpa"},
       {"Workshop on migration statistics, {p}", "Atelier sur les statistiques migratoires, {p}",
        "Taller sobre estadísticas migratorias, {p}"},
       {"A regional workshop where statistical offices compare methods and data sources.",
        "Un atelier régional où les instituts de statistique comparent méthodes et sources de "
        "données.",
        "Un taller regional donde las oficinas de estadística comparan métodos y fuentes de "
        "datos."}},
      // Topic 6: return and reintegration.
      {6,
       "operational_programme",
       {"return-reintegration", "irregular-migration"},
       {"15190"},
       "10.7",
       {"iom"},
       {"Assisted voluntary return and reintegration from {p}",
        "Aide au retour volontaire et à la réintégration depuis {p}",
        "Retorno voluntario asistido y reintegración desde {p}"},
       {"Counselling, travel and reintegration grants for stranded {g} who choose to go home.",
        "Conseil, voyage et aides à la réintégration pour les {g} bloqués qui choisissent de "
        "rentrer.",
        "Asesoramiento, viaje y subsidios de reintegración para {g} varados que deciden regresar "
        "a casa."}},
      {6,
       "research",
       {"return-reintegration"},
       {"15190"},
       "10.7",
       {"iom", "undp"},
       {"Study of the sustainability of reintegration in {p}",
        "Étude de la durabilité de la réintégration en {p}",
        "Estudio de la sostenibilidad de la reintegración en {p}"},
       {"Follow-up surveys of {g} one and two years after return on income, well-being and "
        "re-migration.",
        "Enquêtes de suivi des {g} un et deux ans après le retour sur le revenu, le bien-être et "
        "la nouvelle migration.",
        "Encuestas de seguimiento de {g} uno y dos años después del retorno sobre ingresos, "
        "bienestar y nueva migración."}},
      {6,
       "training",
       {"return-reintegration"},
       {"15190"},
       "10.7",
       {"iom", "unicef"},
       {"Training of reintegration case workers in {p}",
        "Formation des travailleurs sociaux chargés de la réintégration en {p}",
        "Capacitación de gestores de casos de reintegración en {p}"},
       {"Courses on counselling, referral and psychosocial support for {g} after return.",
        "Cours sur le conseil, l'orientation et le soutien psychosocial des {g} après le retour.",
        "Cursos sobre asesoramiento, derivación y apoyo psicosocial para {g} después del "
        "retorno."}},
      {6,
       "technical_assistance",
       {"return-reintegration", "migration-development"},
       {"15190"},
       "10.7",
       {"iom", "undp"},
       {"Support to national reintegration policy in {p}",
        "Appui à la politique nationale de réintégration en {p}",
        "Apoyo a la política nacional de reintegración en {p}"},
       {"Advice to ministries on reintegration services, funding and coordination with "
        "municipalities.",
        "Conseils aux ministères sur les services de réintégration, leur financement et la "
        "coordination avec les municipalités.",
        "Asesoramiento a los ministerios sobre servicios de reintegración, financiación y "
        "coordinación con los municipios."}},
      // Topic 7: migration management and borders.
      {7,
       "training",
       {"migration-management", "human-rights"},
       {"15190", "15136"},
       "10.7",
       {"iom", "ohchr"},
       {"Integrated border management training in {p}",
        "Formation à la gestion intégrée des frontières en {p}",
        "Capacitación en gestión integrada de fronteras en {p}"},
       {"Training for border officials on rights-based border management and identifying "
        "vulnerable {g}.",
        "Formation des agents des frontières à une gestion des frontières fondée sur les droits "
        "et à l'identification des {g} vulnérables.",
        "Capacitación de funcionarios fronterizos en gestión de fronteras basada en derechos y en "
        "la identificación de {g} vulnerables."}},
      {7,
       "technical_assistance",
       {"migration-management", "migration-development"},
       {"15190"},
       "10.7",
       {"iom", "undp"},
       {"Support to the national migration policy of {p}",
        "Appui à la politique migratoire nationale de {p}",
        "Apoyo a la política migratoria nacional de {p}"},
       {"Advice to government on drafting and costing a migration policy with ministries and "
        "civil society.",
        "Conseils au gouvernement pour rédiger et chiffrer une politique migratoire avec les "
        "ministères et la société civile.",
        "Asesoramiento al gobierno para redactar y presupuestar una política migratoria con los "
        "ministerios y la sociedad civil."}},
      {7,
       "operational_programme",
       {"migration-management", "irregular-migration"},
       {"15190"},
       "10.7",
       {"iom"},
       {"Migrant resource centres in {p}", "Centres de ressources pour migrants en {p}",
        "Centros de recursos para migrantes en {p}"},
       {"Information, counselling and referral for {g} on safe and regular migration.",
        "Information, conseil et orientation des {g} sur la migration sûre et régulière.",
        "Información, asesoramiento y derivación para {g} sobre migración segura y regular."}},
      {7,
       "event",
       {"migration-management"},
       {"15190"},
       "10.7",
       {"iom", "unodc"},
       {"Border management conference, {p}", "Conférence sur la gestion des frontières, {p}",
        "Conferencia sobre gestión de fronteras, {p}"},
       {"Heads of border agencies from the region discuss information sharing and cross-border "
        "cooperation.",
        "Les chefs des services frontaliers de la région discutent du partage d'informations et "
        "de la coopération transfrontalière.",
        "Los jefes de los servicios fronterizos de la región debaten sobre el intercambio de "
        "información y la cooperación transfronteriza."}},
      {7,
       "normative",
       {"migration-management", "migration-law"},
       {"15190"},
       "10.7",
       {"ohchr", "unhcr"},
       {"Review of immigration law in {p}", "Révision de la loi sur l'immigration en {p}",
        "Revisión de la ley de inmigración en {p}"},
       {"Legal advice aligning entry, stay and detention rules with international human rights "
        "standards.",
        "Conseil juridique pour aligner les règles d'entrée, de séjour et de rétention sur les "
        "normes internationales des droits humains.",
        "Asesoramiento jurídico para ajustar las normas de entrada, estancia y detención a los "
        "estándares internacionales de derechos humanos."}},
  };
  return kWorks;
}

// The people served ({g}).
const std::vector<Tr>& Groups() {
  static const std::vector<Tr> kGroups = {
      {"migrant workers", "travailleurs migrants", "trabajadores migrantes"},
      {"women migrants", "femmes migrantes", "mujeres migrantes"},
      {"young people", "jeunes", "jóvenes"},
      {"returnees", "personnes de retour", "personas retornadas"},
      {"refugees", "réfugiés", "refugiados"},
      {"displaced families", "familles déplacées", "familias desplazadas"},
      {"border communities", "communautés frontalières", "comunidades fronterizas"},
      {"children on the move", "enfants en déplacement", "niños en movimiento"},
      {"domestic workers", "travailleurs domestiques", "trabajadores domésticos"},
      {"seasonal workers", "travailleurs saisonniers", "trabajadores temporeros"},
  };
  return kGroups;
}

// Generic sentences drawn with Zipf frequencies: the words many unrelated activities share.
const std::vector<Tr>& Fillers() {
  static const std::vector<Tr> kFillers = {
      {"Implemented in close cooperation with national authorities.",
       "Mis en œuvre en étroite coopération avec les autorités nationales.",
       "Ejecutado en estrecha cooperación con las autoridades nacionales."},
      {"Gender and age are considered throughout.", "Le genre et l'âge sont pris en compte.",
       "Se tienen en cuenta el género y la edad."},
      {"The project contributes to the Global Compact for Migration.",
       "Le projet contribue au Pacte mondial sur les migrations.",
       "El proyecto contribuye al Pacto Mundial para la Migración."},
      {"Civil society organisations take part in every phase.",
       "Les organisations de la société civile participent à chaque phase.",
       "Las organizaciones de la sociedad civil participan en cada fase."},
      {"Results are shared with donors and partners every year.",
       "Les résultats sont partagés chaque année avec les bailleurs et les partenaires.",
       "Los resultados se comparten cada año con donantes y socios."},
      {"Local authorities co-chair the steering committee.",
       "Les autorités locales coprésident le comité de pilotage.",
       "Las autoridades locales copresiden el comité directivo."},
      {"A baseline and an end-line survey measure the change.",
       "Une enquête de référence et une enquête finale mesurent le changement.",
       "Una encuesta de base y una final miden el cambio."},
      {"Lessons learned feed the next phase.",
       "Les enseignements tirés alimentent la phase suivante.",
       "Las lecciones aprendidas alimentan la siguiente fase."},
      {"The approach follows a human rights-based approach.",
       "L'action suit une approche fondée sur les droits humains.",
       "La acción sigue un enfoque basado en los derechos humanos."},
      {"Particular attention goes to persons with disabilities.",
       "Une attention particulière est portée aux personnes handicapées.",
       "Se presta especial atención a las personas con discapacidad."},
      {"Funded by several bilateral donors.", "Financé par plusieurs bailleurs bilatéraux.",
       "Financiado por varios donantes bilaterales."},
      {"Activities are coordinated within the UN country team.",
       "Les activités sont coordonnées au sein de l'équipe de pays des Nations Unies.",
       "Las actividades se coordinan dentro del equipo de las Naciones Unidas en el país."},
      {"A mid-term review is planned.", "Une revue à mi-parcours est prévue.",
       "Está prevista una revisión de medio término."},
      {"Materials are produced in local languages.",
       "Les supports sont produits dans les langues locales.",
       "Los materiales se producen en los idiomas locales."},
      {"The work builds on a previous pilot.",
       "Le travail s'appuie sur un projet pilote antérieur.",
       "El trabajo se basa en un piloto anterior."},
      {"Data are disaggregated by sex and age.", "Les données sont ventilées par sexe et par âge.",
       "Los datos se desglosan por sexo y edad."},
      {"Climate risks are taken into account.", "Les risques climatiques sont pris en compte.",
       "Se tienen en cuenta los riesgos climáticos."},
      {"South-South cooperation is encouraged.", "La coopération Sud-Sud est encouragée.",
       "Se fomenta la cooperación Sur-Sur."},
      {"Private sector partners contribute expertise.",
       "Des partenaires du secteur privé apportent leur expertise.",
       "Socios del sector privado aportan su experiencia."},
      {"An online platform shares the tools developed.",
       "Une plateforme en ligne partage les outils élaborés.",
       "Una plataforma en línea comparte las herramientas desarrolladas."},
      {"Trade unions and employers are consulted.",
       "Les syndicats et les employeurs sont consultés.",
       "Se consulta a sindicatos y empleadores."},
      {"Municipal staff receive mentoring.", "Le personnel municipal bénéficie d'un tutorat.",
       "El personal municipal recibe mentoría."},
  };
  return kFillers;
}

// Paraphrase: whole phrases replaced by others that mean the same.
using Synonyms = std::vector<std::pair<const char*, const char*>>;
const Synonyms& SynonymsOf(int lang) {
  static const Synonyms kEnglish = {
      {"Training of", "Capacity building for"},
      {"training", "capacity building"},
      {"Courses", "Sessions"},
      {"Study of", "Research on"},
      {"Support to", "Assistance to"},
      {"support", "assistance"},
      {"Advice to", "Guidance for"},
      {"officials", "officers"},
      {"strengthening", "reinforcing"},
      {"Strengthening", "Reinforcing"},
      {"national", "country-level"},
      {"survivors", "victims"},
      {"regular", "periodic"},
      {"Regular", "Periodic"},
      {"Dialogue on", "Consultations on"},
      {"analysis", "review"},
      {"Analysis", "Review"},
      {"agencies", "institutions"},
      {"ministries", "government departments"},
      {"in close cooperation", "together"},
      {"Household survey", "Survey of households"},
      {"conference", "meeting"},
      {"workshop", "seminar"},
      {"Workshops", "Sessions"},
      {"centres", "hubs"},
  };
  static const Synonyms kFrench = {
      {"Formation des", "Renforcement des capacités des"},
      {"Formation", "Renforcement des capacités"},
      {"Cours", "Sessions"},
      {"Étude", "Recherche"},
      {"Appui", "Soutien"},
      {"Conseils aux", "Orientations pour les"},
      {"agents", "fonctionnaires"},
      {"Renforcement", "Consolidation"},
      {"nationale", "du pays"},
      {"survivants", "victimes"},
      {"réguliers", "périodiques"},
      {"Dialogue", "Concertation"},
      {"Analyse", "Examen"},
      {"services", "institutions"},
      {"ministères", "départements ministériels"},
      {"conférence", "réunion"},
      {"Conférence", "Réunion"},
      {"Atelier", "Séminaire"},
      {"Ateliers", "Séances"},
      {"Centres", "Pôles"},
  };
  static const Synonyms kSpanish = {
      {"Capacitación", "Formación"},    {"Cursos", "Sesiones"},
      {"Estudio", "Investigación"},     {"Apoyo", "Respaldo"},
      {"Asesoramiento", "Orientación"}, {"funcionarios", "agentes"},
      {"Fortalecimiento", "Refuerzo"},  {"nacional", "del país"},
      {"sobrevivientes", "víctimas"},   {"periódicos", "regulares"},
      {"Diálogo", "Concertación"},      {"Análisis", "Examen"},
      {"instituciones", "entidades"},   {"ministerios", "carteras ministeriales"},
      {"Conferencia", "Reunión"},       {"Taller", "Seminario"},
      {"Talleres", "Sesiones"},         {"Centros", "Puntos"},
  };
  return lang == kFr ? kFrench : lang == kEs ? kSpanish : kEnglish;
}

// Pairs of types that complement each other (synergy), and pairs that neither match nor
// complement (decoys).
bool Complementary(std::string_view a, std::string_view b) {
  static const std::pair<std::string_view, std::string_view> kPairs[] = {
      {"research", "technical_assistance"},
      {"training", "operational_programme"},
      {"data_statistics", "policy_dialogue"},
      {"normative", "technical_assistance"},
  };
  for (const auto& [x, y] : kPairs)
    if ((a == x && b == y) || (a == y && b == x)) return true;
  return false;
}
bool Unrelated(std::string_view a, std::string_view b) {
  static const std::pair<std::string_view, std::string_view> kPairs[] = {
      {"event", "operational_programme"},
      {"event", "data_statistics"},
      {"event", "training"},
      {"normative", "operational_programme"},
      {"normative", "data_statistics"},
      {"normative", "training"},
      {"policy_dialogue", "operational_programme"},
  };
  for (const auto& [x, y] : kPairs)
    if ((a == x && b == y) || (a == y && b == x)) return true;
  return false;
}

// ---- Organisations and places ----

struct Org {
  const char* id;
  const char* name;
  const char* iati;  // IATI organisation identifier
  bool member;
};

// The members with an IATI identifier in the registry (UN DESA has none, so it appears as a
// partner only), then partners the import adds to the registry.
const std::vector<Org>& Reporters() {
  static const std::vector<Org> kOrgs = {
      {"iom", "International Organization for Migration", "XM-DAC-47066", true},
      {"ilo", "International Labour Organization", "XM-DAC-41302", true},
      {"unhcr", "Office of the United Nations High Commissioner for Refugees", "XM-DAC-41121",
       true},
      {"unodc", "United Nations Office on Drugs and Crime", "XM-DAC-41128", true},
      {"undp", "United Nations Development Programme", "XM-DAC-41114", true},
      {"unfpa", "United Nations Population Fund", "XM-DAC-41119", true},
      {"ohchr", "Office of the United Nations High Commissioner for Human Rights", "XM-DAC-41313",
       true},
      {"worldbank", "World Bank", "XM-DAC-44000", true},
      {"unctad", "United Nations Conference on Trade and Development", "XM-DAC-41112", true},
      {"unicef", "UNICEF", "XM-DAC-41122", false},
      {"wfp", "World Food Programme", "XM-DAC-41140", false},
      {"nrc", "Norwegian Refugee Council", "NO-BRC-977538319", false},
      {"drc", "Danish Refugee Council", "DK-CVR-20699310", false},
  };
  return kOrgs;
}
const Org* FindOrg(std::string_view id) {
  for (const Org& o : Reporters())
    if (id == o.id) return &o;
  return nullptr;
}
const char* NameOfPartner(std::string_view id) {
  if (id == "undesa") return "UN DESA";
  const Org* o = FindOrg(id);
  return o ? o->name : "";
}

// Countries in the order Zipf draws them: where migration work concentrates first.
const std::vector<std::string>& CountryOrder() {
  static const std::vector<std::string> kOrder = [] {
    std::vector<std::string> order = {"NG", "NE", "ML", "LY", "TN", "MA", "SN", "ET", "KE", "SO",
                                      "SD", "SS", "UG", "BD", "NP", "PK", "AF", "IQ", "SY", "LB",
                                      "JO", "TR", "GR", "IT", "MX", "GT", "HN", "SV", "CO", "VE",
                                      "EC", "PE", "PH", "ID", "TH", "MM", "LK", "UA", "MD", "BF"};
    std::set<std::string> seen(order.begin(), order.end());
    for (const CountryRecord& c : AllCountries()) {
      if (std::string_view(c.region).empty() || seen.count(c.iso2)) continue;
      order.emplace_back(c.iso2);
    }
    return order;
  }();
  return kOrder;
}

struct Region {
  const char* code;
  Tr name;
};
const std::vector<Region>& RegionsUsed() {
  static const std::vector<Region> kRegions = {
      {"002", {"Africa", "Afrique", "África"}},
      {"202", {"Sub-Saharan Africa", "Afrique subsaharienne", "África subsahariana"}},
      {"015", {"Northern Africa", "Afrique du Nord", "África septentrional"}},
      {"142", {"Asia", "Asie", "Asia"}},
      {"034", {"Southern Asia", "Asie du Sud", "Asia meridional"}},
      {"145", {"Western Asia", "Asie occidentale", "Asia occidental"}},
      {"419",
       {"Latin America and the Caribbean", "Amérique latine et Caraïbes",
        "América Latina y el Caribe"}},
      {"150", {"Europe", "Europe", "Europa"}},
  };
  return kRegions;
}

std::string CountryName(const std::string& iso2, int lang) {
  if (lang != kEn) {
    for (const CountryNames& n : AllCountryNames()) {
      if (iso2 == n.iso2) return lang == kFr ? n.french : n.spanish;
    }
  }
  const CountryRecord* c = FindCountry(iso2);
  return c ? c->name : iso2;
}

// ---- Building one activity ----

// What a record is made of before its texts are written: enough to write it again in another
// language or other words.
struct Draft {
  size_t work = 0;
  size_t group = 0;
  int lang = kEn;
  std::vector<size_t> fillers;
  std::string org;
  std::vector<std::string> countries;
  std::vector<std::string> regions;  // M49 codes of RegionsUsed
  bool is_global = false;
  Date starts;
  Date ends;
  std::optional<double> budget;
  std::vector<std::string> partners;
  std::vector<std::string> themes;  // the work's, unless a planted pair sets them
  std::string project;              // the project's name, "" without project names
};

void ReplaceAll(std::string& s, std::string_view from, std::string_view to) {
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
}

std::string PlaceText(const Draft& d) {
  if (d.is_global) return d.lang == kFr ? "le monde" : d.lang == kEs ? "el mundo" : "the world";
  std::vector<std::string> names;
  for (const std::string& c : d.countries) names.push_back(CountryName(c, d.lang));
  for (const std::string& r : d.regions) {
    for (const Region& reg : RegionsUsed())
      if (r == reg.code) names.emplace_back(reg.name.In(d.lang));
  }
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0)
      out += i + 1 == names.size() ? (d.lang == kFr   ? " et "
                                      : d.lang == kEs ? " y "
                                                      : " and ")
                                   : ", ";
    out += names[i];
  }
  return out;
}

std::string Fill(const char* pattern, const Draft& d) {
  std::string s = pattern;
  ReplaceAll(s, "{p}", PlaceText(d));
  ReplaceAll(s, "{g}", Groups()[d.group].In(d.lang));
  return s;
}

// The title and description of a draft, as written.
std::pair<std::string, std::string> Texts(const Draft& d) {
  const Work& w = Works()[d.work];
  std::string title = Fill(w.title.In(d.lang), d);
  if (!d.project.empty()) title += " (" + d.project + ")";
  std::string description = Fill(w.description.In(d.lang), d);
  for (size_t f : d.fillers) description += std::string(" ") + Fillers()[f].In(d.lang);
  return {title, description};
}

class Generator {
 public:
  // Project names come from a stream of their own, so that a corpus without them is, record
  // for record, the same corpus without the names in the titles.
  Generator(uint64_t seed, bool project_names)
      : rng_(seed),
        names_(seed ^ 0x6a09e667f3bcc908ULL),
        project_names_(project_names),
        country_zipf_(CountryOrder().size(), 1.0),
        work_zipf_(Works().size(), 0.6),
        filler_zipf_(Fillers().size(), 1.1) {}

  Draft Background() {
    Draft d;
    d.work = work_zipf_.Draw(rng_);
    const Work& w = Works()[d.work];
    d.group = rng_.Below(Groups().size());
    double l = rng_.Uniform();
    d.lang = l < 0.7 ? kEn : l < 0.88 ? kFr : kEs;
    size_t fillers = 1 + rng_.Below(4);
    for (size_t i = 0; i < fillers; ++i) d.fillers.push_back(filler_zipf_.Draw(rng_));
    d.org = rng_.Chance(0.75) ? std::string(w.orgs[rng_.Below(w.orgs.size())])
                              : std::string(Reporters()[rng_.Below(Reporters().size())].id);
    if (!FindOrg(d.org)) d.org = "iom";  // UN DESA reports no IATI: its work goes to a member
    double p = rng_.Uniform();
    if (p < 0.02) {
      d.is_global = true;
    } else if (p < 0.10) {
      d.regions.emplace_back(RegionsUsed()[rng_.Below(RegionsUsed().size())].code);
    } else {
      size_t k = p < 0.80 ? 1 : p < 0.95 ? 2 : 3;
      while (d.countries.size() < k) {
        const std::string& c = CountryOrder()[country_zipf_.Draw(rng_)];
        if (std::find(d.countries.begin(), d.countries.end(), c) == d.countries.end())
          d.countries.push_back(c);
      }
    }
    d.starts = Date::FromCivil(2016 + static_cast<int>(rng_.Below(11)),
                               1 + static_cast<unsigned>(rng_.Below(12)), 1);
    d.ends = d.starts.AddMonths(12 + static_cast<int>(rng_.Below(49))).AddDays(-1);
    if (rng_.Chance(0.85))
      d.budget = std::round(50000 * std::pow(600.0, rng_.Uniform()) / 1000) * 1000;
    size_t partners = rng_.Below(3);
    static constexpr const char* kPartnerIds[] = {"iom",    "ilo",   "unhcr", "unodc",
                                                  "undp",   "unfpa", "ohchr", "unicef",
                                                  "undesa", "wfp",   "nrc",   "drc"};
    for (size_t i = 0; i < partners; ++i) {
      std::string p = kPartnerIds[rng_.Below(std::size(kPartnerIds))];
      if (p != d.org && std::find(d.partners.begin(), d.partners.end(), p) == d.partners.end())
        d.partners.push_back(p);
    }
    for (const char* t : w.themes) d.themes.emplace_back(t);
    d.project = NewProject();
    return d;
  }

  std::string NewProject() {
    return project_names_ ? ProjectName(static_cast<uint32_t>(names_.Below(kProjectNameCount)))
                          : std::string();
  }

  // Gives a planted pair one project's name (b takes a's) with probability `share`, else two;
  // whether they share one (never without project names).
  bool NameProjects(const Draft& a, Draft& b, double share) {
    if (!project_names_) return false;
    bool same = names_.Chance(share);
    b.project = same ? a.project : NewProject();
    return same;
  }

  // Another organisation than `org`, among those that do this work when one does.
  std::string OtherOrg(const std::string& org, size_t work) {
    const Work& w = Works()[work];
    for (int tries = 0; tries < 8; ++tries) {
      std::string o = rng_.Chance(0.6)
                          ? std::string(w.orgs[rng_.Below(w.orgs.size())])
                          : std::string(Reporters()[rng_.Below(Reporters().size())].id);
      if (o != org && FindOrg(o)) return o;
    }
    for (const Org& o : Reporters())
      if (org != o.id) return o.id;
    return "iom";
  }

  // The same work by another organisation, dates moved by up to `months`.
  Draft SameWork(const Draft& a, int months) {
    Draft b = a;
    b.org = OtherOrg(a.org, a.work);
    std::erase(b.partners, b.org);
    int shift = static_cast<int>(rng_.Below(2 * months + 1)) - months;
    b.starts = a.starts.AddMonths(shift);
    b.ends = a.ends.AddMonths(shift);
    if (a.budget) b.budget = std::round(*a.budget * (0.8 + 0.4 * rng_.Uniform()) / 1000) * 1000;
    return b;
  }

  // A work of the same topic whose type relates to `type` as `want` says; none when there is
  // none.
  std::optional<size_t> WorkOfTopic(int topic, std::string_view type,
                                    bool (*want)(std::string_view, std::string_view)) {
    std::vector<size_t> fits;
    for (size_t i = 0; i < Works().size(); ++i)
      if (Works()[i].topic == topic && want(type, Works()[i].type)) fits.push_back(i);
    if (fits.empty()) return std::nullopt;
    return fits[rng_.Below(fits.size())];
  }

  // Planted pairs of one category: a background draft and its counterpart.
  std::pair<Draft, Draft> Planted(std::string_view category) {
    for (;;) {
      Draft a = Background();
      if (category == "near_identical") return {a, SameWork(a, 2)};
      if (category == "paraphrase") {
        Draft b = SameWork(a, 4);
        b.fillers.clear();
        size_t fillers = 1 + rng_.Below(3);
        for (size_t i = 0; i < fillers; ++i) b.fillers.push_back(filler_zipf_.Draw(rng_));
        return {a, b};
      }
      if (category == "two_languages") {
        Draft b = SameWork(a, 2);
        b.lang = a.lang != kEn ? kEn : (rng_.Chance(0.5) ? kFr : kEs);
        return {a, b};
      }
      bool synergy = category == "synergy";
      const Work& wa = Works()[a.work];
      auto other = WorkOfTopic(wa.topic, wa.type, synergy ? Complementary : Unrelated);
      if (!other) continue;  // this kind of work has no partner of that relation: draw again
      Draft b = SameWork(a, 3);
      b.work = *other;
      b.group = rng_.Below(Groups().size());
      b.fillers.clear();
      size_t fillers = 1 + rng_.Below(4);
      for (size_t i = 0; i < fillers; ++i) b.fillers.push_back(filler_zipf_.Draw(rng_));
      if (!synergy)
        b.themes = a.themes;  // decoys: the very same themes
      else {
        b.themes.clear();
        for (const char* t : Works()[b.work].themes) b.themes.emplace_back(t);
      }
      b.org = OtherOrg(a.org, b.work);
      std::erase(b.partners, b.org);
      return {a, b};
    }
  }

  // Small edits that leave the work the same: a letter swapped, a sentence more or less.
  void NearIdenticalEdits(std::string& title, std::string& description) {
    if (rng_.Chance(0.3)) title += " (" + std::to_string(2016 + rng_.Below(11)) + ")";
    if (rng_.Chance(0.5)) {
      size_t at = description.find(' ', rng_.Below(description.size()));
      if (at != std::string::npos && at + 3 < description.size() &&
          std::isalpha(static_cast<unsigned char>(description[at + 1])) &&
          std::isalpha(static_cast<unsigned char>(description[at + 2])))
        std::swap(description[at + 1], description[at + 2]);
    }
    if (rng_.Chance(0.3)) {
      size_t dot = description.rfind(". ");
      if (dot != std::string::npos) description.resize(dot + 1);
    }
  }

  void Paraphrase(std::string& text, int lang) {
    for (const auto& [from, to] : SynonymsOf(lang))
      if (rng_.Chance(0.8)) ReplaceAll(text, from, to);
  }

  // Sentences of a description in another order (the first last).
  static void Reorder(std::string& description) {
    size_t dot = description.find(". ");
    if (dot == std::string::npos) return;
    description = description.substr(dot + 2) + " " + description.substr(0, dot + 1);
  }

  Rng& rng() { return rng_; }

 private:
  Rng rng_;
  Rng names_;
  bool project_names_;
  Zipf country_zipf_;
  Zipf work_zipf_;
  Zipf filler_zipf_;
};

Record RecordOf(const Draft& d, const std::string& title, const std::string& description) {
  const Work& w = Works()[d.work];
  Record r;
  r.version = 1;
  r.organization_id = d.org;
  r.type = w.type;
  r.themes = d.themes;
  r.countries = d.countries;
  r.regions = d.regions;
  r.is_global = d.is_global;
  r.starts_on = d.starts;
  r.ends_on = d.ends;
  for (const char* s : w.dac) r.sectors.push_back(std::string("1:") + s);
  r.partners = d.partners;
  r.budget = d.budget;
  if (d.budget) r.currency = "USD";
  r.titles = {{kLangCodes[d.lang], title}};
  r.descriptions = {{kLangCodes[d.lang], description}};
  return r;
}

Record Write(const Draft& d) {
  auto [title, description] = Texts(d);
  return RecordOf(d, title, description);
}

const Work* WorkOfRecord(const Record& r) {
  // Sectors and type identify the kind of work well enough for the SDG tag of the file.
  for (const Work& w : Works()) {
    if (r.type != w.type || r.sectors.empty() || r.sectors.front() != std::string("1:") + w.dac[0])
      continue;
    return &w;
  }
  return nullptr;
}

}  // namespace

std::string ProjectName(uint32_t index) {
  static constexpr std::string_view kConsonants = "BDFGKLMNPRTVZ";
  static constexpr std::string_view kVowels = "AEIOU";
  constexpr auto kSyllables = static_cast<uint32_t>(kConsonants.size() * kVowels.size());
  index %= kProjectNameCount;
  std::string name;
  for (int k = 0; k < 3; ++k, index /= kSyllables) {
    name += kConsonants[index % kSyllables / kVowels.size()];
    name += kVowels[index % kVowels.size()];
  }
  name += 'K';
  return name;
}

double SameProjectShare(std::string_view category) {
  if (category == "synergy") return 0.5;
  if (category == "decoy") return 0.25;
  return 0.75;
}

std::string_view ExpectedClassOf(std::string_view category) {
  if (category == "synergy") return "synergy";
  if (category == "decoy") return "none";
  return "duplication";
}

SyntheticCorpus Generate(size_t n, uint64_t seed, const SyntheticOptions& options) {
  SyntheticCorpus corpus;
  corpus.seed = seed;
  Generator gen(seed, options.project_names);
  auto per_category = static_cast<size_t>(std::llround(options.pair_fraction * double(n)));
  if (per_category == 0 && n >= 2 * std::size(kPlantedCategories)) per_category = 1;
  per_category = std::min(per_category, n / (2 * std::size(kPlantedCategories)));

  // Ids 1..n in a shuffled order (Fisher–Yates), so the two of a pair are far apart.
  std::vector<int64_t> ids(n);
  for (size_t i = 0; i < n; ++i) ids[i] = static_cast<int64_t>(i + 1);
  for (size_t i = n; i > 1; --i) std::swap(ids[i - 1], ids[gen.rng().Below(i)]);

  std::vector<Record> records;
  records.reserve(n);
  size_t next = 0;
  for (std::string_view category : kPlantedCategories) {
    for (size_t k = 0; k < per_category; ++k) {
      auto [da, db] = gen.Planted(category);
      bool same_project = gen.NameProjects(da, db, SameProjectShare(category));
      Record a = Write(da);
      auto [title, description] = Texts(db);
      if (category == "near_identical") {
        gen.NearIdenticalEdits(title, description);
      } else if (category == "paraphrase") {
        gen.Paraphrase(title, db.lang);
        gen.Paraphrase(description, db.lang);
        Generator::Reorder(description);
      }
      Record b = RecordOf(db, title, description);
      a.id = ids[next++];
      b.id = ids[next++];
      corpus.pairs.push_back(
          {std::min(a.id, b.id), std::max(a.id, b.id), std::string(category), same_project});
      records.push_back(std::move(a));
      records.push_back(std::move(b));
    }
  }
  while (records.size() < n) {
    Record r = Write(gen.Background());
    r.id = ids[next++];
    records.push_back(std::move(r));
  }
  std::sort(records.begin(), records.end(),
            [](const Record& x, const Record& y) { return x.id < y.id; });
  corpus.records = std::move(records);
  return corpus;
}

std::string SyntheticIatiIdentifier(const Record& record, uint64_t seed) {
  const Org* o = FindOrg(record.organization_id);
  return std::string(o ? o->iati : "XM-GMG-SYN") + "-SYN" + std::to_string(seed) + "-" +
         std::to_string(record.id);
}

ActivityInput InputOf(const Record& r, uint64_t seed) {
  ActivityInput in;
  in.organization_id = r.organization_id;
  for (const Text& t : r.titles) in.titles.push_back({t.lang, t.text});
  for (const Text& t : r.descriptions) in.descriptions.push_back({t.lang, t.text});
  in.type = r.type;
  in.themes = r.themes;
  in.countries = r.countries;
  in.regions = r.regions;
  in.is_global = r.is_global;
  in.starts_on = r.starts_on;
  in.ends_on = r.ends_on;
  in.status = 2;
  in.budget_amount = r.budget;
  in.budget_currency = r.currency;
  for (const std::string& p : r.partners) {
    const Org* o = FindOrg(p);
    bool in_registry = (o && o->member) || p == "undesa";
    in.partners.push_back({in_registry ? p : "", NameOfPartner(p), "implementing"});
  }
  in.iati_identifier = SyntheticIatiIdentifier(r, seed);
  in.source = "iati";
  return in;
}

void WriteIati(const SyntheticCorpus& corpus, const std::function<void(std::string_view)>& sink,
               const std::string& generated_datetime) {
  iati::Writer writer(sink, generated_datetime);
  for (const Record& r : corpus.records) {
    const Org* org = FindOrg(r.organization_id);
    iati::Activity x;
    x.iati_identifier = SyntheticIatiIdentifier(r, corpus.seed);
    x.lang = r.titles.empty() ? "en" : r.titles.front().lang;
    x.default_currency = r.currency;
    x.reporting_org = {org ? org->iati : "",
                       org && org->member ? "40" : "",
                       "",
                       {{"", org ? org->name : r.organization_id}}};
    for (const Text& t : r.titles) x.titles.push_back({"", t.text});
    for (const Text& t : r.descriptions) x.descriptions.push_back({"", t.text});
    x.participating_orgs.push_back({org ? org->iati : "", "", "4", {{"", org ? org->name : ""}}});
    for (const std::string& p : r.partners) {
      const Org* po = FindOrg(p);
      x.participating_orgs.push_back({po ? po->iati : "", "", "4", {{"", NameOfPartner(p)}}});
    }
    x.activity_status = "2";
    if (r.starts_on) x.actual_start = r.starts_on->ToString();
    if (r.ends_on) x.planned_end = r.ends_on->ToString();
    size_t places = r.countries.size() + r.regions.size();
    double pct = places > 1 ? std::floor(10000.0 / double(places)) / 100 : -1;
    for (size_t i = 0; i < r.countries.size(); ++i) {
      bool last = i + 1 == places;
      x.recipient_countries.push_back(
          {r.countries[i], "", last && places > 1 ? 100 - pct * double(places - 1) : pct, {}, ""});
    }
    for (const std::string& reg : r.regions)
      x.recipient_regions.push_back({reg, "2", places > 1 ? pct : -1, {}, ""});
    std::vector<std::string> dac;
    for (const std::string& s : r.sectors)
      if (s.rfind("1:", 0) == 0) dac.push_back(s.substr(2));
    for (const std::string& code : dac)
      x.sectors.push_back({code, "1", dac.size() > 1 ? 100.0 / double(dac.size()) : -1, {}, ""});
    for (const std::string& t : r.themes)
      x.sectors.push_back(
          {t, "99", r.themes.size() > 1 ? 100.0 / double(r.themes.size()) : -1, {{"", t}}, ""});
    if (const Work* w = WorkOfRecord(r); w && *w->sdg) x.tags.push_back({w->sdg, "3", -1, {}, ""});
    if (r.budget && r.starts_on && r.ends_on)
      x.budgets.push_back({r.starts_on->ToString(), r.ends_on->ToString(), *r.budget, r.currency,
                           r.starts_on->ToString()});
    writer.Write(x);
  }
  writer.Finish();
}

std::string LabelsCsv(const SyntheticCorpus& corpus, bool iati_ids) {
  std::string out = "a,b,category,expected_class\n";
  auto name = [&](int64_t id) {
    if (!iati_ids) return std::to_string(id);
    return SyntheticIatiIdentifier(corpus.records[static_cast<size_t>(id - 1)], corpus.seed);
  };
  for (const PlantedPair& p : corpus.pairs) {
    out += name(p.a) + "," + name(p.b) + "," + p.category + "," +
           std::string(ExpectedClassOf(p.category)) + "\n";
  }
  return out;
}

}  // namespace gmg::coherence

#include "notifications/notification_text.h"

#include <cctype>

namespace gmg {
namespace {

// One language's words. Templates name parameters in braces: {position}.
struct Catalogue {
  std::string_view language;
  // Per kind, in NotificationKind order: subject and body.
  std::string_view subject[6];
  std::string_view body[6];
  // Added to action_assigned's body when its meeting is named.
  std::string_view agreed_at;
  std::string_view rule_consensus, rule_silence;
  std::string_view outcome_adopted, outcome_not_adopted;
  // round_outcome's subject when not adopted.
  std::string_view subject_not_adopted;
  std::string_view greeting, open_link, preferences, signature;
  std::string_view digest_subject, digest_intro;
};

// Long sentences are split into adjacent literals on purpose (one sentence per array element).
// NOLINTBEGIN(bugprone-suspicious-missing-comma)
constexpr Catalogue kCatalogues[] = {
    {"en",
     {"Endorsement round opened: {position}", "Deadline in 48 hours: {position}",
      "Position adopted: {position}", "Minutes circulated for comment: {meeting}",
      "New action for your organisation: {action}", "Action overdue: {action}"},
     {"An endorsement round ({rule}) is open on the common position \"{position}\". Your "
      "organisation's stand is due by {deadline}.",
      "The endorsement round on \"{position}\" closes at {deadline}. If your organisation has "
      "not taken a stand yet, please do so before then.",
      "The endorsement round on \"{position}\" has closed. Outcome: {outcome}. "
      "Endorsements / objections / abstentions: {tally}.",
      "The draft minutes of \"{meeting}\" have been circulated. Comments are open until "
      "{comments_until}.",
      "Your organisation has been assigned the action \"{action}\", due {due_date}.",
      "The action \"{action}\", assigned to your organisation, was due on {due_date} and is "
      "not done yet."},
     " It was agreed at \"{meeting}\".",
     "consensus",
     "silence procedure",
     "adopted",
     "not adopted",
     "Position not adopted: {position}",
     "Hello {name},",
     "Open it in the GMG Hub:",
     "You receive this e-mail because of your notification settings. Change them here:",
     "GMG Hub - Global Migration Group",
     "GMG Hub: your daily digest ({count})",
     "Here is what happened in the GMG Hub since your last digest:"},
    {"fr",
     {"Cycle d'approbation ouvert : {position}", "Échéance dans 48 heures : {position}",
      "Position adoptée : {position}", "Procès-verbal diffusé pour observations : {meeting}",
      "Nouvelle action pour votre organisation : {action}", "Action en retard : {action}"},
     {"Un cycle d'approbation ({rule}) est ouvert pour la position commune « {position} ». "
      "La position de votre organisation est attendue au plus tard le {deadline}.",
      "Le cycle d'approbation de « {position} » se clôt le {deadline}. Si votre organisation "
      "ne s'est pas encore prononcée, merci de le faire avant cette date.",
      "Le cycle d'approbation de « {position} » est clos. Résultat : {outcome}. "
      "Approbations / objections / abstentions : {tally}.",
      "Le projet de procès-verbal de « {meeting} » a été diffusé. Les observations sont "
      "possibles jusqu'au {comments_until}.",
      "L'action « {action} » a été confiée à votre organisation, échéance le {due_date}.",
      "L'action « {action} », confiée à votre organisation, était due le {due_date} et n'est "
      "pas encore achevée."},
     " Elle a été décidée lors de « {meeting} ».",
     "consensus",
     "procédure d'approbation tacite",
     "adoptée",
     "non adoptée",
     "Position non adoptée : {position}",
     "Bonjour {name},",
     "Ouvrir dans le GMG Hub :",
     "Vous recevez ce courriel en raison de vos préférences de notification. Pour les "
     "modifier :",
     "GMG Hub - Groupe mondial sur la migration",
     "GMG Hub : votre résumé quotidien ({count})",
     "Voici ce qui s'est passé dans le GMG Hub depuis votre dernier résumé :"},
    {"es",
     {"Ronda de respaldo abierta: {position}", "Plazo en 48 horas: {position}",
      "Posición adoptada: {position}", "Acta distribuida para comentarios: {meeting}",
      "Nueva acción para su organización: {action}", "Acción vencida: {action}"},
     {"Se ha abierto una ronda de respaldo ({rule}) sobre la posición común «{position}». Su "
      "organización debe pronunciarse antes del {deadline}.",
      "La ronda de respaldo sobre «{position}» se cierra el {deadline}. Si su organización aún "
      "no se ha pronunciado, hágalo antes de esa fecha.",
      "La ronda de respaldo sobre «{position}» se ha cerrado. Resultado: {outcome}. "
      "Respaldos / objeciones / abstenciones: {tally}.",
      "Se ha distribuido el proyecto de acta de «{meeting}». Se admiten comentarios hasta el "
      "{comments_until}.",
      "Se ha asignado a su organización la acción «{action}», con vencimiento el {due_date}.",
      "La acción «{action}», asignada a su organización, vencía el {due_date} y aún no se ha "
      "completado."},
     " Se acordó en «{meeting}».",
     "consenso",
     "procedimiento de acuerdo tácito",
     "adoptada",
     "no adoptada",
     "Posición no adoptada: {position}",
     "Hola, {name}:",
     "Ábralo en el GMG Hub:",
     "Recibe este correo por sus preferencias de notificación. Puede cambiarlas aquí:",
     "GMG Hub - Grupo Mundial sobre Migración",
     "GMG Hub: su resumen diario ({count})",
     "Esto es lo que ha ocurrido en el GMG Hub desde su último resumen:"},
    {"ar",
     {"بدء جولة اعتماد: {position}", "الموعد النهائي خلال 48 ساعة: {position}",
      "اعتُمد الموقف: {position}", "تعميم المحضر لإبداء الملاحظات: {meeting}",
      "إجراء جديد لمنظمتكم: {action}", "إجراء متأخر: {action}"},
     {"بدأت جولة اعتماد ({rule}) للموقف المشترك «{position}». يُرجى أن تُبدي منظمتكم موقفها "
      "في موعد أقصاه {deadline}.",
      "تُغلق جولة الاعتماد للموقف «{position}» في {deadline}. إذا لم تُبدِ منظمتكم موقفها بعد، "
      "يُرجى القيام بذلك قبل هذا الموعد.",
      "أُغلقت جولة الاعتماد للموقف «{position}». النتيجة: {outcome}. "
      "التأييد / الاعتراض / الامتناع: {tally}.",
      "عُمِّم مشروع محضر «{meeting}». يمكن إبداء الملاحظات حتى {comments_until}.",
      "أُسند إلى منظمتكم الإجراء «{action}»، وموعد إنجازه {due_date}.",
      "كان موعد إنجاز الإجراء «{action}» المسند إلى منظمتكم {due_date}، ولم يُنجز بعد."},
     " تقرر في «{meeting}».",
     "توافق الآراء",
     "إجراء الموافقة الضمنية",
     "اعتُمد",
     "لم يُعتمد",
     "لم يُعتمد الموقف: {position}",
     "مرحبًا {name}،",
     "افتحه في منصة GMG Hub:",
     "تتلقى هذه الرسالة بسبب إعدادات الإشعارات الخاصة بك. يمكنك تغييرها من هنا:",
     "GMG Hub - الفريق العالمي المعني بالهجرة",
     "GMG Hub: موجزك اليومي ({count})",
     "إليك ما جرى في منصة GMG Hub منذ آخر موجز:"},
};
// NOLINTEND(bugprone-suspicious-missing-comma)

const Catalogue& CatalogueFor(std::string_view language) {
  for (const Catalogue& c : kCatalogues) {
    if (c.language == language) return c;
  }
  return kCatalogues[0];
}

// "2026-12-10T16:00:00Z" (or without seconds) → "2026-12-10 16:00 UTC"; anything else as is.
std::string ReadableInstant(const std::string& value) {
  auto digits = [&](size_t from, size_t n) {
    for (size_t i = from; i < from + n; ++i) {
      if (i >= value.size() || !std::isdigit(static_cast<unsigned char>(value[i]))) return false;
    }
    return true;
  };
  bool shape = value.size() >= 17 && digits(0, 4) && value[4] == '-' && digits(5, 2) &&
               value[7] == '-' && digits(8, 2) && value[10] == 'T' && digits(11, 2) &&
               value[13] == ':' && digits(14, 2) && value.back() == 'Z';
  if (!shape) return value;
  return value.substr(0, 10) + " " + value.substr(11, 5) + " UTC";
}

std::string Fill(std::string_view text, const std::map<std::string, std::string>& values) {
  std::string out;
  out.reserve(text.size() + 64);
  size_t i = 0;
  while (i < text.size()) {
    size_t open = text.find('{', i);
    size_t close = open == std::string_view::npos ? open : text.find('}', open);
    if (close == std::string_view::npos) {
      out.append(text.substr(i));
      break;
    }
    out.append(text.substr(i, open - i));
    auto it = values.find(std::string(text.substr(open + 1, close - open - 1)));
    if (it != values.end()) out += it->second;
    i = close + 1;
  }
  return out;
}

}  // namespace

std::string_view MessageLanguage(std::string_view user_language) {
  for (std::string_view l : kMessageLanguages) {
    if (l == user_language) return l;
  }
  return "en";
}

RenderedText RenderNotification(NotificationKind kind,
                                const std::map<std::string, std::string>& params,
                                std::string_view language) {
  const Catalogue& c = CatalogueFor(MessageLanguage(language));
  std::map<std::string, std::string> values = params;
  for (const char* instant : {"deadline", "comments_until"}) {
    if (auto it = values.find(instant); it != values.end())
      it->second = ReadableInstant(it->second);
  }
  if (auto it = values.find("rule"); it != values.end()) {
    if (it->second == "consensus") it->second = std::string(c.rule_consensus);
    if (it->second == "silence") it->second = std::string(c.rule_silence);
  }
  bool not_adopted = false;
  if (auto it = values.find("outcome"); it != values.end()) {
    not_adopted = it->second != "adopted";
    it->second = std::string(not_adopted ? c.outcome_not_adopted : c.outcome_adopted);
  }
  auto index = static_cast<size_t>(kind);
  std::string_view subject = c.subject[index];
  if (kind == NotificationKind::kRoundOutcome && not_adopted) subject = c.subject_not_adopted;
  RenderedText out{Fill(subject, values), Fill(c.body[index], values)};
  if (kind == NotificationKind::kActionAssigned) {
    auto meeting = values.find("meeting");
    if (meeting != values.end() && !meeting->second.empty()) out.body += Fill(c.agreed_at, values);
  }
  return out;
}

std::string AbsoluteLink(std::string_view public_url, std::string_view path) {
  return std::string(public_url) + std::string(path);
}

RenderedText RenderEmail(const RenderedText& text, std::string_view name, std::string_view link,
                         std::string_view preferences_link, std::string_view language) {
  const Catalogue& c = CatalogueFor(MessageLanguage(language));
  std::string body = Fill(c.greeting, {{"name", std::string(name)}});
  body += "\n\n" + text.body + "\n\n";
  body += std::string(c.open_link) + "\n" + std::string(link) + "\n\n-- \n";
  body += std::string(c.signature) + "\n" + std::string(c.preferences) + "\n" +
          std::string(preferences_link) + "\n";
  return {text.subject, std::move(body)};
}

RenderedText RenderDigest(const std::vector<DigestItem>& items, std::string_view name,
                          std::string_view preferences_link, std::string_view language) {
  const Catalogue& c = CatalogueFor(MessageLanguage(language));
  std::string body = Fill(c.greeting, {{"name", std::string(name)}});
  body += "\n\n" + std::string(c.digest_intro) + "\n";
  for (const DigestItem& item : items) {
    body += "\n* " + item.text.subject + "\n  " + item.text.body + "\n  " + item.link + "\n";
  }
  body += "\n-- \n" + std::string(c.signature) + "\n" + std::string(c.preferences) + "\n" +
          std::string(preferences_link) + "\n";
  std::string subject =
      Fill(c.digest_subject, {{"count", std::to_string(static_cast<int64_t>(items.size()))}});
  return {std::move(subject), std::move(body)};
}

}  // namespace gmg

#include "notifications/notification_text.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "notifications/smtp.h"

namespace gmg {
namespace {

const std::map<std::string, std::string> kRound = {{"position", "Migrant workers' rights"},
                                                   {"deadline", "2026-12-10T16:00:00Z"},
                                                   {"rule", "consensus"}};

TEST(NotificationTextTest, RoundOpenedInFourLanguages) {
  auto en = RenderNotification(NotificationKind::kRoundOpened, kRound, "en");
  EXPECT_EQ(en.subject, "Endorsement round opened: Migrant workers' rights");
  EXPECT_EQ(en.body,
            "An endorsement round (consensus) is open on the common position \"Migrant workers' "
            "rights\". Your organisation's stand is due by 2026-12-10 16:00 UTC.");
  auto fr = RenderNotification(NotificationKind::kRoundOpened, kRound, "fr");
  EXPECT_EQ(fr.subject, "Cycle d'approbation ouvert : Migrant workers' rights");
  EXPECT_NE(fr.body.find("« Migrant workers' rights »"), std::string::npos);
  EXPECT_NE(fr.body.find("au plus tard le 2026-12-10 16:00 UTC"), std::string::npos);
  auto es = RenderNotification(NotificationKind::kRoundOpened, kRound, "es");
  EXPECT_EQ(es.subject, "Ronda de respaldo abierta: Migrant workers' rights");
  EXPECT_NE(es.body.find("(consenso)"), std::string::npos);
  auto ar = RenderNotification(NotificationKind::kRoundOpened, kRound, "ar");
  EXPECT_EQ(ar.subject, "بدء جولة اعتماد: Migrant workers' rights");
  EXPECT_NE(ar.body.find("(توافق الآراء)"), std::string::npos);
  EXPECT_NE(ar.body.find("2026-12-10 16:00 UTC"), std::string::npos);
}

TEST(NotificationTextTest, EveryKindHasItsWordsInEveryLanguage) {
  std::map<std::string, std::string> params = {{"position", "P"},
                                               {"deadline", "2026-12-10T16:00:00Z"},
                                               {"rule", "silence"},
                                               {"outcome", "adopted"},
                                               {"tally", "7/2/1"},
                                               {"meeting", "M"},
                                               {"comments_until", "2026-12-01T12:00:00Z"},
                                               {"action", "A"},
                                               {"due_date", "2027-01-31"}};
  for (std::string_view lang : kMessageLanguages) {
    std::set<std::string> subjects;
    for (int k = 0; k < 6; ++k) {
      auto t = RenderNotification(static_cast<NotificationKind>(k), params, lang);
      EXPECT_FALSE(t.subject.empty()) << lang << " " << k;
      EXPECT_EQ(t.body.find('{'), std::string::npos) << lang << " " << t.body;
      EXPECT_EQ(t.subject.find('{'), std::string::npos) << lang << " " << t.subject;
      subjects.insert(t.subject);
    }
    EXPECT_EQ(subjects.size(), 6u) << lang;
  }
}

TEST(NotificationTextTest, OutcomeAndActionDetails) {
  std::map<std::string, std::string> outcome = {
      {"position", "P"}, {"outcome", "not_adopted"}, {"tally", "7/2/1"}};
  auto en = RenderNotification(NotificationKind::kRoundOutcome, outcome, "en");
  EXPECT_EQ(en.subject, "Position not adopted: P");
  EXPECT_NE(en.body.find("Outcome: not adopted. Endorsements / objections / abstentions: 7/2/1."),
            std::string::npos);
  auto fr = RenderNotification(NotificationKind::kRoundOutcome, outcome, "fr");
  EXPECT_EQ(fr.subject, "Position non adoptée : P");
  std::map<std::string, std::string> action = {
      {"action", "Draft the note"}, {"due_date", "2027-01-31"}, {"meeting", "Principals 2026"}};
  auto es = RenderNotification(NotificationKind::kActionAssigned, action, "es");
  EXPECT_EQ(es.body,
            "Se ha asignado a su organización la acción «Draft the note», con vencimiento el "
            "2027-01-31. Se acordó en «Principals 2026».");
  action["meeting"] = "";
  auto en2 = RenderNotification(NotificationKind::kActionAssigned, action, "en");
  EXPECT_EQ(en2.body,
            "Your organisation has been assigned the action \"Draft the note\", due 2027-01-31.");
}

TEST(NotificationTextTest, OtherLanguagesReadEnglish) {
  EXPECT_EQ(MessageLanguage("zh"), "en");
  EXPECT_EQ(MessageLanguage(""), "en");
  EXPECT_EQ(MessageLanguage("ar"), "ar");
  EXPECT_EQ(RenderNotification(NotificationKind::kActionOverdue, {{"action", "A"}}, "ru").subject,
            "Action overdue: A");
}

TEST(NotificationTextTest, EmailHasGreetingLinkAndPreferences) {
  RenderedText text{"Subject", "Body."};
  auto mail = RenderEmail(text, "Amina", "https://hub.example.org/positions/3",
                          "https://hub.example.org/notifications/preferences", "fr");
  EXPECT_EQ(mail.subject, "Subject");
  EXPECT_EQ(mail.body.rfind("Bonjour Amina,\n\nBody.\n\nOuvrir dans le GMG Hub :\n"
                            "https://hub.example.org/positions/3\n",
                            0),
            0u);
  EXPECT_NE(mail.body.find("https://hub.example.org/notifications/preferences"), std::string::npos);
  EXPECT_EQ(AbsoluteLink("", "/positions/3"), "/positions/3");
}

TEST(NotificationTextTest, DigestListsEachItem) {
  auto d = RenderDigest({{{"S1", "B1"}, "/a"}, {{"S2", "B2"}, "/b"}}, "Li", "/p", "es");
  EXPECT_EQ(d.subject, "GMG Hub: su resumen diario (2)");
  EXPECT_NE(d.body.find("* S1\n  B1\n  /a\n"), std::string::npos);
  EXPECT_NE(d.body.find("* S2\n  B2\n  /b\n"), std::string::npos);
}

// The MIME pieces (notifications/smtp.h).
TEST(MailMessageTest, HeaderWordsAreAsciiOrEncodedAndShort) {
  EXPECT_EQ(EncodeHeaderText("Action overdue: A"), "Action overdue: A");
  std::string arabic = "بدء جولة اعتماد: موقف مشترك بشأن حقوق العمال المهاجرين وأسرهم";
  std::string encoded = EncodeHeaderText(arabic);
  size_t start = 0;
  while (start < encoded.size()) {
    size_t end = encoded.find("\r\n ", start);
    std::string word = encoded.substr(start, end == std::string::npos ? end : end - start);
    EXPECT_LE(word.size(), 75u) << word;
    EXPECT_EQ(word.rfind("=?UTF-8?B?", 0), 0u) << word;
    EXPECT_EQ(word.substr(word.size() - 2), "?=");
    if (end == std::string::npos) break;
    start = end + 3;
  }
  EXPECT_NE(encoded.find("\r\n "), std::string::npos);  // long: folded into several words
}

// Not UTF-8: a long run of continuation bytes is still cut into words (it once looped for ever).
TEST(MailMessageTest, ARunOfContinuationBytesEnds) {
  std::string bad(100, '\x80');
  std::string encoded = EncodeHeaderText(bad);
  EXPECT_EQ(encoded.rfind("=?UTF-8?B?", 0), 0u);
  EXPECT_EQ(std::count(encoded.begin(), encoded.end(), '?'), 3 * 4) << "three words of 45, 45, 10";
}

TEST(MailMessageTest, MessageHasTheHeadersAndCrlfOnly) {
  EXPECT_EQ(MailDate(0), "Thu, 01 Jan 1970 00:00:00 +0000");
  EXPECT_EQ(MailDate(1796054400), "Mon, 30 Nov 2026 16:00:00 +0000");
  MailMessage m{42, 1796054400, "fp@iom.int", "Échéance dans 48 heures : P", "Line 1\n.\nLine 3\n"};
  std::string text = BuildMailMessage("GMG Hub <hub@example.org>", m, 1796054400);
  EXPECT_NE(text.find("From: GMG Hub <hub@example.org>\r\n"), std::string::npos);
  EXPECT_NE(text.find("To: fp@iom.int\r\n"), std::string::npos);
  EXPECT_NE(text.find("Subject: =?UTF-8?B?"), std::string::npos);
  EXPECT_NE(text.find("Message-ID: <gmg-outbox-42-1796054400@example.org>\r\n"), std::string::npos);
  EXPECT_NE(text.find("Content-Type: text/plain; charset=UTF-8\r\n"), std::string::npos);
  EXPECT_NE(text.find("Content-Transfer-Encoding: base64\r\n"), std::string::npos);
  EXPECT_NE(text.find("Auto-Submitted: auto-generated\r\n\r\n"), std::string::npos);
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') {
      ASSERT_GT(i, 0u);
      EXPECT_EQ(text[i - 1], '\r') << "bare LF at " << i;
    }
  }
  EXPECT_EQ(EnvelopeAddress("GMG Hub <hub@example.org>"), "hub@example.org");
  EXPECT_EQ(EnvelopeAddress(" hub@example.org "), "hub@example.org");
}

TEST(MailMessageTest, ConfigIsChecked) {
  SmtpConfig c;
  EXPECT_TRUE(CheckSmtpConfig(c).ok());  // none configured
  c.url = "http://mail";
  c.from = "hub@example.org";
  EXPECT_NE(CheckSmtpConfig(c).error().message.find("--smtp-url"), std::string::npos);
  c.url = "smtp://mail.example.org:587";
  EXPECT_TRUE(CheckSmtpConfig(c).ok());
  c.from = "hub";
  EXPECT_NE(CheckSmtpConfig(c).error().message.find("--smtp-from"), std::string::npos);
  c.from = "hub@example.org";
  c.password = "secret";
  EXPECT_NE(CheckSmtpConfig(c).error().message.find("--smtp-user"), std::string::npos);
  StartTls mode;
  EXPECT_TRUE(ParseStartTls("optional", &mode));
  EXPECT_EQ(mode, StartTls::kOptional);
  EXPECT_FALSE(ParseStartTls("maybe", &mode));
}

}  // namespace
}  // namespace gmg

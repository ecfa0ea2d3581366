// A site's chat settings, read from the site's settings JSON.

#include <simdjson.h>

#include "chat/site_cache.hpp"
#include "log/log.hpp"

namespace vitrina::chat {

Result<std::shared_ptr<SiteChat>> load_site_chat(store::Site site) {
  auto out = std::make_shared<SiteChat>();
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (!parser.parse(site.settings_json).get(doc)) {
    simdjson::dom::object chat;
    if (!doc["chat"].get(chat)) {
      std::string_view secret;
      if (!chat["identity_secret"].get(secret)) out->identity_secret = std::string(secret);
      bool required = false;
      if (!chat["require_identity"].get(required) && required) out->identity_mode = IdentityMode::required;
      simdjson::dom::element hours;
      if (!chat["business_hours"].get(hours)) {
        auto schedule = parse_business_hours(simdjson::minify(hours));
        if (schedule) {
          out->hours = std::move(*schedule);
        } else {
          log::warn("site business hours ignored")
              .str("site_id", site.id)
              .str("field", schedule.error().field)
              .str("error", schedule.error().message)
              .emit();
        }
      }
    }
  }
  out->site = std::move(site);
  return out;
}

}  // namespace vitrina::chat

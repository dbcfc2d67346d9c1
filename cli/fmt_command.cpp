// `xy fmt`: print, check or rewrite policy files in the canonical layout (docs/fmt.md).
#include <iostream>

#include "commands.h"
#include "replace_file.h"
#include "xiangyue/compiler/compiler.h"
#include "xiangyue/tooling/format.h"

namespace xy::cli {

int run_fmt(const FmtOptions& o) {
  bool zh = o.lang == Lang::zh;
  DiagnosticSink read_errors;
  auto files = read_policy_files(o.paths, read_errors);
  if (read_errors.has_errors()) {
    std::cerr << render_all(read_errors, files, o.lang);
    return kBadInput;
  }
  tooling::FormatOptions options;
  if (o.keywords == "en") options.keywords = tooling::KeywordLanguage::en;
  if (o.keywords == "zh") options.keywords = tooling::KeywordLanguage::zh;
  int status = 0;
  std::size_t unformatted = 0, written = 0;
  for (const auto& file : files) {
    auto result = tooling::format_source(file, options);
    if (!result.text) {
      std::cerr << render_all(result.diagnostics, {file}, o.lang, 20);
      status = kBadInput;
      continue;
    }
    const std::string& text = *result.text;
    if (o.check) {
      if (text != file.text) {
        ++unformatted;
        std::cout << tooling::unified_diff(file.path, file.text, text);
      }
    } else if (o.write) {
      if (text != file.text) {
        if (!replace_file(file.path, text)) {
          std::cerr << (zh ? "xy fmt：无法写入「" + file.path + "」\n"
                           : "xy fmt: cannot write `" + file.path + "`\n");
          status = kBadInput;
          continue;
        }
        ++written;
        std::cout << file.path << "\n";
      }
    } else {
      std::cout << text;
    }
  }
  if (o.check && unformatted > 0) {
    std::cerr << (zh ? "xy fmt：" + std::to_string(unformatted) + " 个文件未按规范格式书写\n"
                     : "xy fmt: " + std::to_string(unformatted) +
                           (unformatted == 1 ? " file is" : " files are") + " not formatted\n");
    if (status == 0) status = 1;
  }
  if (o.write && written == 0 && status == 0)
    std::cerr << (zh ? "xy fmt：所有文件已是规范格式\n" : "xy fmt: every file is formatted\n");
  return status;
}

}  // namespace xy::cli

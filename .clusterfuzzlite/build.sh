#!/bin/bash -eu
# ClusterFuzzLite / OSS-Fuzz build: one executable per fuzz/targets/<name>.ts in $OUT, with its seed corpus
# (<name>_seed_corpus.zip), dictionary (<name>.dict) and libFuzzer options (<name>.options).
#
# The executables run the same TypeScript targets as `pnpm fuzz`, through tsx, under the Jazzer.js that the base
# image installs globally (`jazzer`): our pinned prebuilt addon needs glibc 2.32+ and the base images are older.
cd "$SRC/oaklog"
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1
# The addon patch is for Debian 12 developer machines; here the global jazzer is used instead.
export OAKLOG_SKIP_JAZZER_PATCH=1
pnpm install --frozen-lockfile
pnpm build
# Seeds (from corpus/ and corpus/regressions/) and the .mjs shims Jazzer.js loads.
node fuzz/scripts/fuzz.mjs --no-build --mode seeds
node fuzz/scripts/fuzz.mjs --list --quiet > "$WORK/targets.json"

# The whole checkout (node_modules included; pnpm's links are relative) goes to $OUT, as compile_javascript_fuzzer does.
rm -rf "$OUT/oaklog"
cp -a "$SRC/oaklog" "$OUT/oaklog"

for name in $(node -e 'console.log(Object.keys(require(process.argv[1])).join("\n"))' "$WORK/targets.json"); do
  read -r package dictionary max_len sync < <(node -e '
    const t = require(process.argv[1])[process.argv[2]];
    console.log(t.package, t.dictionary, t.maxLen, t.async ? "" : "--sync");' "$WORK/targets.json" "$name")
  (cd "fuzz/.work/seeds/$name" && if ls | grep -q .; then zip -q -j "$OUT/${name}_seed_corpus.zip" ./*; fi)
  cp "fuzz/dictionaries/$dictionary" "$OUT/$name.dict"
  printf '[libfuzzer]\nmax_len = %s\n' "$max_len" > "$OUT/$name.options"
  cat > "$OUT/$name" <<WRAPPER
#!/bin/bash
# LLVMFuzzerTestOneInput: the marker OSS-Fuzz's check_build looks for in JavaScript fuzz target wrappers.
this_dir=\$(dirname "\$0")
cd "\$this_dir/oaklog/fuzz"
export NODE_OPTIONS="\${NODE_OPTIONS:-} --import \$PWD/node_modules/tsx/dist/loader.mjs"
exec jazzer .work/shims/$name.mjs $sync -i packages/$package/dist/ -i fuzz/targets/ -- "\$@"
WRAPPER
  chmod +x "$OUT/$name"
done

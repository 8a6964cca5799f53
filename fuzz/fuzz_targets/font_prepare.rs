#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| papertrail_fuzz::font_prepare(data));

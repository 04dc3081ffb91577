//! `cuecard headers`: writes the built site's policy and says what a host
//! that does not read `_headers` must send.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The built site: the folder with `index.html` and `bundle/`.
    #[arg(long, value_name = "DIR")]
    site: PathBuf,
}

pub fn run(args: Args) -> Result<ExitCode> {
    let policy = crate::site::headers::write_site_headers(&args.site)?;
    let header = policy.header_value();
    println!("Wrote the page's Content-Security-Policy and {}.", policy.headers_file.display());
    println!("Pages may be framed by: {}", policy.frame_ancestors);
    println!("Hosts that do not read _headers need these response headers on every file:");
    println!("  nginx:  add_header Content-Security-Policy \"{header}\" always;");
    println!("          add_header Referrer-Policy \"no-referrer\" always;");
    println!("          add_header X-Content-Type-Options \"nosniff\" always;");
    println!("  Apache: Header always set Content-Security-Policy \"{header}\"");
    println!("          Header always set Referrer-Policy \"no-referrer\"");
    println!("          Header always set X-Content-Type-Options \"nosniff\"");
    println!("The page sets its own referrer policy too (<meta name=\"referrer\">), for hosts that send none.");
    println!("The app's files come with precompressed siblings (NAME.br, NAME.gz), which GitLab Pages sends as they are; elsewhere:");
    println!("  nginx:  gzip_static on;  brotli_static on;   (brotli_static is the ngx_brotli module's)");
    println!("  Caddy:  file_server {{ precompressed br gzip }}");
    println!("Hosts that compress on the fly (GitHub Pages, Netlify, Cloudflare Pages) need nothing.");
    Ok(ExitCode::SUCCESS)
}

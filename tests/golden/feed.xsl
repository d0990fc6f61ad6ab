<?xml version="1.0" encoding="utf-8"?>
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:atom="http://www.w3.org/2005/Atom">
<!-- A local build's links are site-relative, led back to the site root by the feed's xml:base. -->
<xsl:variable name="base" select="/atom:feed/@xml:base"/>
<xsl:output method="html" encoding="utf-8" doctype-system="about:legacy-compat"/>
<xsl:template match="/atom:feed">
<html lang="en">
<head>
<meta charset="utf-8"/>
<link rel="icon" href="data:,"/>
<meta name="viewport" content="width=device-width, initial-scale=1"/>
<title><xsl:value-of select="atom:title"/> (feed)</title>
<style>
body { font: 16px/1.5 system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; color: #1d1d1f; background: #fff; }
a { color: #303fa1; }
.about { padding: .8rem 1rem; background: #eef0fb; border-radius: .3rem; }
li { margin: 0 0 1.2rem; }
small { color: #555; }
@media (prefers-color-scheme: dark) {
  body { color: #e6e6ea; background: #1e2129; } a { color: #9fb0ff; } .about { background: #2a2f3d; } small { color: #b8bcc8; }
}
</style>
</head>
<body>
<main>
<h1><xsl:value-of select="atom:title"/></h1>
<p class="about">This is a web feed. Copy its address into a feed reader to get new papers as they appear.
<a href="{$base}{atom:link[@rel='alternate']/@href}">Back to the site</a></p>
<h2>Newest papers</h2>
<ol>
<xsl:for-each select="atom:entry">
<li><a href="{$base}{atom:link[@rel='alternate']/@href}"><strong><xsl:value-of select="atom:title"/></strong></a><br/>
<small><xsl:value-of select="substring(atom:updated, 1, 10)"/>
<xsl:for-each select="atom:category"> · <xsl:value-of select="@term"/></xsl:for-each></small><br/>
<xsl:value-of select="substring(atom:summary, 1, 300)"/><xsl:if test="string-length(atom:summary) &gt; 300">…</xsl:if></li>
</xsl:for-each>
</ol>
</main>
</body>
</html>
</xsl:template>
</xsl:stylesheet>

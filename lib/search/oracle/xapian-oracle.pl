#!/usr/bin/perl
# Regenerates lore-oracle.json: what lore's query parser does with boolean queries.
#
# It sets up Xapian's QueryParser the way public-inbox's lib/PublicInbox/Search.pm does
# (default operator AND; FLAG_PHRASE | FLAG_BOOLEAN | FLAG_LOVEHATE | FLAG_WILDCARD; no
# FLAG_PURE_NOT, no FLAG_BOOLEAN_ANY_CASE; a probabilistic prefix s: and a boolean prefix
# mid:), indexes 96 synthetic documents (every combination of the default-field words a b c d,
# the subject word e, and Message-ID m1 / m2 / none) and records which documents each
# random query matches. query.test.ts evaluates patchlore's AST on the same documents and
# compares.
#
#   apt-get install libsearch-xapian-perl    # Debian 12: Xapian 1.4.22
#   perl lib/search/oracle/xapian-oracle.pl > lib/search/oracle/lore-oracle.json
#
# "status": ok (parsed as written), error (Xapian threw: lore shows an error), degraded
# (Xapian's parser failed and silently re-parsed without boolean syntax, turning AND/OR/NOT
# into plain words: lore then searches for those words).
use strict;
use warnings;
use Search::Xapian qw(:standard);
use File::Temp qw(tempdir);

my $dir = tempdir(CLEANUP => 1);
my $db = Search::Xapian::WritableDatabase->new("$dir/db", DB_CREATE_OR_OPEN);
for my $bits (0 .. 31) {
	for my $mid (0 .. 2) {
		my $doc = Search::Xapian::Document->new;
		my $pos = 1;
		for my $i (0 .. 3) {
			$doc->add_posting((qw(a b c d))[$i], $pos++) if $bits & (1 << $i);
		}
		$doc->add_posting('Se', $pos++) if $bits & 16;
		$doc->add_boolean_term("Qm$mid") if $mid;
		$doc->add_term('Zall');
		$db->add_document($doc); # docid - 1 = $bits * 3 + $mid
	}
}
$db->flush;
my $qp = Search::Xapian::QueryParser->new;
$qp->set_default_op(OP_AND);
$qp->set_database($db);
$qp->add_prefix('s', 'S');
$qp->add_boolean_prefix('mid', 'Q');
my $flags = FLAG_PHRASE | FLAG_BOOLEAN | FLAG_LOVEHATE | FLAG_WILDCARD;

srand(6);
my @atoms = ('a', 'b', 'c', 'd', 's:e', 'mid:m1', 'mid:m2');
sub atom {
	my $x = $atoms[int(rand(@atoms))];
	my $r = rand();
	return "-$x" if $r < 0.15;
	return "+$x" if $r < 0.22;
	$x;
}
sub expr {
	my ($depth) = @_;
	my $r = rand();
	return atom() if $depth <= 0 || $r < 0.3;
	return '(' . expr($depth - 1) . ')' if $r < 0.45;
	return expr($depth - 1) . ' ' . expr($depth - 1) if $r < 0.6;
	return '-(' . expr($depth - 1) . ')' if $r < 0.65;
	my @ops = ('AND', 'OR', 'NOT', 'XOR', 'OR', 'AND NOT');
	expr($depth - 1) . ' ' . $ops[int(rand(@ops))] . ' ' . expr($depth - 1);
}
my %seen;
while (keys(%seen) < 600) {
	my $q = expr(1 + int(rand(4)));
	$seen{$q} = 1 if length($q) < 80;
}

my @out;
for my $q (sort keys %seen) {
	my $query = eval { $qp->parse_query($q, $flags) };
	if (!$query) {
		push @out, qq(  {"q": "$q", "status": "error"});
		next;
	}
	my $d = $query->get_description;
	my $status = ($q =~ /\b(?:AND|OR|NOT|XOR)\b/ && $d =~ /\b(?:and|or|not|xor)@/) ? 'degraded' : 'ok';
	my $enq = Search::Xapian::Enquire->new($db);
	$enq->set_query($query);
	my @bits = (0) x 96;
	$bits[$_->get_docid - 1] = 1 for $enq->get_mset(0, 1000)->items;
	push @out, qq(  {"q": "$q", "status": "$status", "docs": ") . join('', @bits) . '"}';
}
print "[\n", join(",\n", @out), "\n]\n";
